import { Writable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { currentLogFields } from 'current-attributes';
import { currentMiddleware } from 'current-attributes/express';
import {
  currentLogRecordProcessor,
  currentSpanProcessor,
  currentTraceIds,
  withTraceIds,
} from 'current-attributes/otel';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Traveling } from '../propagation/support.js';
import { listen, type RunningServer } from '../support/listen.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  spanProcessors: [
    currentSpanProcessor(Traveling, ['tenant', 'requestId', 'userId'], { prefix: 'app.' }),
    new SimpleSpanProcessor(exporter),
  ],
});
const contextManager = new AsyncLocalStorageContextManager();
const tracer = provider.getTracer('test');
const lines: string[] = [];
const logger = pino(
  { mixin: withTraceIds(currentLogFields(Traveling, ['tenant'])) },
  new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  }),
);
let server: RunningServer;

beforeAll(async () => {
  context.setGlobalContextManager(contextManager.enable());
  trace.setGlobalTracerProvider(provider);
  const app = express();
  // What HTTP instrumentation does: the server span is active before any middleware runs.
  app.use((req, res, next) =>
    tracer.startActiveSpan(`${req.method} ${req.path}`, (span) => {
      res.once('finish', () => span.end());
      next();
    }),
  );
  app.use(
    currentMiddleware({
      setup: (req) => {
        Traveling.tenant = req.get('x-tenant');
        Traveling.requestId = req.get('x-request-id');
        Traveling.userId = Number(req.get('x-user'));
        Traveling.apiToken = 'never-recorded';
      },
    }),
  );
  app.get('/orders', async (_req, res) => {
    const ids = await tracer.startActiveSpan('db.query', async (span) => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.info('querying');
      span.end();
      return currentTraceIds();
    });
    res.json(ids);
  });
  server = await listen(app);
});

afterAll(async () => {
  await server?.close();
  trace.disable();
  context.disable();
});

describe('current-attributes/otel with a real OpenTelemetry SDK', () => {
  test('every span started in a request carries that request’s attributes, never a hidden one', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, async (_, index) => {
        const response = await fetch(`${server.url}/orders`, {
          headers: { 'x-tenant': `tenant-${index}`, 'x-request-id': `request-${index}`, 'x-user': String(index) },
        });
        return { index, ids: (await response.json()) as { traceId: string; spanId: string } };
      }),
    );
    const spans = exporter.getFinishedSpans();
    const queries = spans.filter((span) => span.name === 'db.query');
    expect(queries).toHaveLength(50);
    for (const { index, ids } of answers) {
      const span = queries.find((query) => query.spanContext().spanId === ids.spanId);
      expect(span?.attributes).toEqual({
        'app.tenant': `tenant-${index}`,
        'app.requestId': `request-${index}`,
        'app.userId': index,
      });
    }
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain('never-recorded');
    // The server span started before the request's scope: it has none (docs/propagation.md says why).
    expect(
      spans.filter((span) => span.name === 'GET /orders').every((span) => Object.keys(span.attributes).length === 0),
    ).toBe(true);
  }, 60_000);

  test('log lines carry the trace and span ids of the active span beside the request’s fields', () => {
    const logged = lines.map((line) => JSON.parse(line) as { tenant: string; trace_id: string; span_id: string });
    const queries = exporter.getFinishedSpans().filter((span) => span.name === 'db.query');
    expect(logged).toHaveLength(50);
    for (const line of logged) {
      const span = queries.find((query) => query.spanContext().spanId === line.span_id);
      expect(span?.spanContext().traceId).toBe(line.trace_id);
      expect(span?.attributes['app.tenant']).toBe(line.tenant);
    }
    expect(currentTraceIds()).toBeUndefined();
  });

  test('a log record processor puts the attributes on records emitted in a scope', () => {
    const processor = currentLogRecordProcessor(Traveling, ['tenant']);
    const recorded: Array<Record<string, unknown>> = [];
    const record = { setAttributes: (attributes: Record<string, unknown>) => recorded.push(attributes) };
    Traveling.run(() => {
      Traveling.tenant = 'acme';
      processor.onEmit(record);
    });
    processor.onEmit(record);
    expect(recorded).toEqual([{ tenant: 'acme' }, {}]);
  });

  test('refuses a hidden attribute, an unknown member and an unknown option at once', () => {
    expect(() => currentSpanProcessor(Traveling, ['apiToken'])).toThrow(/declares hidden/);
    expect(() => currentSpanProcessor(Traveling, ['nope' as never])).toThrow(/attribute or getter/);
    expect(() => currentSpanProcessor(Traveling, ['tenant'], { prefx: 'a.' } as never)).toThrow(/got `prefx`/);
  });
});

describe('W3C baggage through OpenTelemetry’s own propagation', () => {
  test('one baggage header holds OpenTelemetry’s baggage and the traveling values, signed', async () => {
    const { propagation, ROOT_CONTEXT, defaultTextMapSetter } = await import('@opentelemetry/api');
    const { CompositePropagator, W3CBaggagePropagator } = await import('@opentelemetry/core');
    const { createPropagator } = await import('current-attributes/propagation');
    const { currentTextMapPropagator } = await import('current-attributes/otel');
    const ours = createPropagator({ trust: { secret: 'x'.repeat(32) }, currents: [Traveling] });
    const composite = new CompositePropagator({
      propagators: [new W3CBaggagePropagator(), currentTextMapPropagator(ours)],
    });
    const withBaggage = propagation.setBaggage(
      ROOT_CONTEXT,
      propagation.createBaggage({ 'synthetic-test': { value: '1' } }),
    );
    const headers: Record<string, string> = {};
    Traveling.run(() => {
      Traveling.tenant = 'acme';
      Traveling.apiToken = 'never-sent';
      composite.inject(withBaggage, headers, defaultTextMapSetter);
    });
    expect(Object.keys(headers)).toEqual(['baggage']);
    expect(headers.baggage).toMatch(/^synthetic-test=1,tenant=acme,ca\.sig=v1\./);
    expect(ours.extract(headers, () => Traveling.tenant)).toBe('acme');
  });
});
