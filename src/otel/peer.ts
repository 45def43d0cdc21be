import { createRequire } from 'node:module';
import { MissingPeerError } from '../propagation/errors.js';

/** The parts of `@opentelemetry/api` this subpath uses. */
export interface OtelApi {
  readonly trace: {
    getActiveSpan():
      | { spanContext(): { readonly traceId: string; readonly spanId: string; readonly traceFlags: number } }
      | undefined;
  };
}

let api: OtelApi | undefined;

/**
 * `@opentelemetry/api`, loaded on first use so that importing this subpath
 * without it installed works, and the first function that needs it throws
 * `MissingPeerError` (a `MissingPeerDependencyError`), not Node's module error.
 * The API keeps its state on `globalThis`, so this copy sees the SDK the
 * application registered.
 *
 * @throws {MissingPeerError} when `@opentelemetry/api` is not installed.
 */
export function otelApi(): OtelApi {
  if (api !== undefined) return api;
  try {
    api = createRequire(import.meta.url)('@opentelemetry/api') as OtelApi;
  } catch (cause) {
    // Only the package itself missing is the typed error; a fault inside it stays as it is.
    const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
    const missing = code === 'MODULE_NOT_FOUND' && String(message).includes("'@opentelemetry/api'");
    if (!missing) throw cause;
    throw new MissingPeerError(
      '@opentelemetry/api',
      'current-attributes/otel (`currentTraceIds`, `withTraceIds`)',
      cause,
    );
  }
  return api;
}
