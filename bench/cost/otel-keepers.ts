import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { defineCurrent } from 'current-attributes';
import { currentMiddleware } from 'current-attributes/express';
import { currentSpanProcessor } from 'current-attributes/otel';
import type { Request, RequestHandler } from 'express';

/**
 * The OpenTelemetry apps of `bench:cost`: OpenTelemetry's AsyncLocalStorage
 * context manager with a server span made active around each request (what
 * its HTTP instrumentation does) and a child span in the handler, with the
 * user in `res.locals` (`otel`), in `Current` (`otel-current`), and in
 * `Current` with the bridge's span processor copying it onto the child span
 * (`otel-current-bridge`). Nothing is exported: the figures are the context
 * propagation and span bookkeeping, not an exporter's.
 */
export function otelKeeper(app: 'otel' | 'otel-current' | 'otel-current-bridge') {
  const Current = defineCurrent(
    class {
      user?: string;
    },
  );
  const provider = new BasicTracerProvider({
    spanProcessors: app === 'otel-current-bridge' ? [currentSpanProcessor(Current, ['user'])] : [],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  const tracer = trace.getTracer('bench');
  const serverSpan: RequestHandler = (req, res, next) =>
    tracer.startActiveSpan(`${req.method} ${req.path}`, (span) => {
      res.once('finish', () => span.end());
      next();
    });
  const inChildSpan = <R>(read: () => R): R =>
    tracer.startActiveSpan('read', (span) => {
      const value = read();
      span.end();
      return value;
    });
  if (app === 'otel') {
    return {
      middleware: [serverSpan],
      write: (req: Request, res: { locals: Record<string, unknown> }) => {
        res.locals.user = req.get('x-user');
      },
      read: (_req: Request, res: { locals: Record<string, unknown> }) => inChildSpan(() => res.locals.user),
    };
  }
  return {
    middleware: [serverSpan, currentMiddleware()],
    write: (req: Request) => {
      Current.user = req.get('x-user');
    },
    read: () => inChildSpan(() => Current.user),
  };
}
