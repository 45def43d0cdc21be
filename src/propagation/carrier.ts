/**
 * How to read and write one key of a carrier (HTTP headers, message
 * headers): OpenTelemetry's `TextMapGetter` and `TextMapSetter` in one.
 *
 * @example
 * ```ts
 * const onRequest: CarrierAccess<ClientRequest> = {
 *   get: (request, key) => request.getHeader(key)?.toString(),
 *   set: (request, key, value) => request.setHeader(key, value),
 * };
 * ```
 */
export interface CarrierAccess<C> {
  get(carrier: C, key: string): string | undefined;
  set(carrier: C, key: string, value: string): void;
}

/**
 * Reads a plain object's key: Node's incoming headers (lowercase keys; a
 * repeated header as an array, joined as HTTP joins it), AMQP headers, or a
 * `Headers` object through its `get`.
 */
export function defaultGetter(carrier: unknown, key: string): string | undefined {
  if (carrier === null || typeof carrier !== 'object') return undefined;
  if (typeof (carrier as Headers).get === 'function' && carrier instanceof Headers) {
    return (carrier as Headers).get(key) ?? undefined;
  }
  const value = Object.hasOwn(carrier, key) ? (carrier as Record<string, unknown>)[key] : undefined;
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(',');
  return undefined;
}

/** Writes a plain object's key, or sets it on a `Headers` object. */
export function defaultSetter(carrier: unknown, key: string, value: string): void {
  if (carrier instanceof Headers) carrier.set(key, value);
  else (carrier as Record<string, unknown>)[key] = value;
}

/** Plain objects (Node's headers, AMQP headers, job data) and `Headers`. */
export const objectAccess: CarrierAccess<unknown> = { get: defaultGetter, set: defaultSetter };
