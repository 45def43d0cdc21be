import { objectAccess } from '../propagation/carrier.js';
import type { Propagator } from '../propagation/propagator.js';

/** OpenTelemetry's `TextMapSetter`, structurally. */
export interface TextMapSetterLike<C> {
  set(carrier: C, key: string, value: string): void;
}

/**
 * `propagator` as an OpenTelemetry `TextMapPropagator`, for apps whose
 * outgoing calls OpenTelemetry's instrumentation already injects into: put it
 * after `W3CBaggagePropagator` in a `CompositePropagator`, and the one
 * `baggage` header holds OpenTelemetry's baggage and the traveling values
 * (signed), written once. Use it instead of `propagateHttp`, not beside it.
 * It only injects: the receiving adapter's `propagator` option takes the
 * values from the request, where the request's scope exists.
 *
 * @example
 * ```ts
 * propagation.setGlobalPropagator(new CompositePropagator({
 *   propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator(), currentTextMapPropagator(propagator)],
 * }));
 * ```
 */
export function currentTextMapPropagator(propagator: Propagator) {
  return {
    inject<C>(_context: unknown, carrier: C, setter: TextMapSetterLike<C>): void {
      propagator.inject(carrier, {
        get: objectAccess.get,
        set: (target, key, value) => setter.set(target as C, key, value),
      });
    },
    extract<Context>(context: Context, _carrier: unknown, _getter: unknown): Context {
      return context;
    },
    fields: (): string[] => propagator.fields(),
  };
}
