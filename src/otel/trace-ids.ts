import { otelApi } from './peer.js';

/** The active span's ids, as W3C trace context writes them. */
export interface TraceIds {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
}

/**
 * The ids of the span active here (the request's server span, or a child of
 * it), read beside `Current`; `undefined` where no span is active.
 *
 * @throws {MissingPeerError} when `@opentelemetry/api` is not installed.
 * @example
 * ```ts
 * res.setHeader('x-trace-id', currentTraceIds()?.traceId ?? '');
 * ```
 */
export function currentTraceIds(): TraceIds | undefined {
  const span = otelApi().trace.getActiveSpan();
  if (span === undefined) return undefined;
  const { traceId, spanId, traceFlags } = span.spanContext();
  return { traceId, spanId, traceFlags };
}

/**
 * Adds the active span's `trace_id`, `span_id` and `trace_flags` (the names
 * OpenTelemetry's log correlation uses) to what `fields` returns, for a
 * logger's `mixin`: `withTraceIds(currentLogFields(Current, ['requestId']))`.
 *
 * @throws {MissingPeerError} when `@opentelemetry/api` is not installed.
 * @example
 * ```ts
 * const logger = pino({ mixin: withTraceIds(currentLogFields(Current, ['requestId', 'tenant'])) });
 * ```
 */
export function withTraceIds<F extends object>(
  fields: () => F,
): () => F & { trace_id?: string; span_id?: string; trace_flags?: string } {
  const api = otelApi();
  return () => {
    const span = api.trace.getActiveSpan();
    if (span === undefined) return fields();
    const { traceId, spanId, traceFlags } = span.spanContext();
    return { ...fields(), trace_id: traceId, span_id: spanId, trace_flags: `0${traceFlags.toString(16)}`.slice(-2) };
  };
}
