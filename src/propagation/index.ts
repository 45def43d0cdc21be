export { BAGGAGE_MAX_BYTES, BAGGAGE_MAX_MEMBERS } from './baggage.js';
export type { CarrierAccess } from './carrier.js';
export { InvalidTravelValueError, PropagationLimitError } from './errors.js';
export { type PropagateHttpOptions, propagateHttp } from './http-out.js';
export type { PropagatorOptions, RejectReason, TrustOptions } from './options.js';
export type { AllowedOrigins } from './origins.js';
export { createPropagator, type ExtractOptions, type Propagator, type PropagatorStats } from './propagator.js';
