import type { AnyCurrent } from '../core/registry.js';
import { expectPlainObject } from '../core/validate.js';
import type { LogFieldKey } from '../logs/fields.js';
import { refuseUnknownKeys } from '../propagation/options.js';
import { attributeReader, type OtelValue } from './attribute-reader.js';

/** What a span processor gets in `onStart`: the SDK's span, of which only `setAttributes` is used. */
export interface SpanLike {
  setAttributes(attributes: Record<string, OtelValue>): unknown;
}

/** What a log record processor gets in `onEmit`. */
export interface LogRecordLike {
  setAttributes(attributes: Record<string, OtelValue>): unknown;
}

/** Options of `currentSpanProcessor` and `currentLogRecordProcessor`. */
export interface CurrentAttributesProcessorOptions {
  /** Put before each attribute's name (`'app.'` makes `app.tenant`). Default: none. */
  readonly prefix?: string;
}

/**
 * An OpenTelemetry span processor (add it to the tracer provider) that puts
 * the named members of `current` on every span started in a request (or a
 * job, or `run`): the server's span, the client spans of its outgoing calls,
 * a database span. They are recorded on this service's spans only, never
 * sent to another service. Hidden attributes are refused.
 *
 * Typed structurally: it fits `SpanProcessor` of `@opentelemetry/sdk-trace-base` 1 and 2 without importing it.
 *
 * @throws {InvalidArgumentError} when a key is hidden or not a member, or an option is wrong.
 * @example
 * ```ts
 * const provider = new NodeTracerProvider({
 *   spanProcessors: [currentSpanProcessor(Current, ['tenant', 'requestId']), new BatchSpanProcessor(exporter)],
 * });
 * ```
 */
export function currentSpanProcessor<C extends AnyCurrent>(
  current: C,
  keys: readonly LogFieldKey<C>[],
  options: CurrentAttributesProcessorOptions = {},
) {
  const read = readerFor(current, keys, options);
  return {
    onStart(span: SpanLike, _parentContext?: unknown): void {
      const attributes = read();
      for (const _ in attributes) {
        span.setAttributes(attributes);
        return;
      }
    },
    onEnd(_span: unknown): void {},
    forceFlush: (): Promise<void> => Promise.resolve(),
    shutdown: (): Promise<void> => Promise.resolve(),
  };
}

/**
 * An OpenTelemetry log record processor (add it to the logger provider)
 * that puts the named members of `current` on every log record emitted in a
 * scope. Hidden attributes are refused. Typed structurally, as `currentSpanProcessor`.
 *
 * @throws {InvalidArgumentError} when a key is hidden or not a member, or an option is wrong.
 * @example
 * ```ts
 * new LoggerProvider({ processors: [currentLogRecordProcessor(Current, ['tenant']), new SimpleLogRecordProcessor(exporter)] });
 * ```
 */
export function currentLogRecordProcessor<C extends AnyCurrent>(
  current: C,
  keys: readonly LogFieldKey<C>[],
  options: CurrentAttributesProcessorOptions = {},
) {
  const read = readerFor(current, keys, options);
  return {
    onEmit(record: LogRecordLike, _context?: unknown): void {
      record.setAttributes(read());
    },
    forceFlush: (): Promise<void> => Promise.resolve(),
    shutdown: (): Promise<void> => Promise.resolve(),
  };
}

function readerFor<C extends AnyCurrent>(
  current: C,
  keys: readonly LogFieldKey<C>[],
  options: CurrentAttributesProcessorOptions,
) {
  expectPlainObject('options', options);
  refuseUnknownKeys('options', options, ['prefix']);
  return attributeReader(current, keys, options.prefix ?? '');
}
