export { bindCallbacks, type MessageScope, type MethodName, perRequest, scopePerMessage } from './compat/index.js';
export { bind, bindEmitter, snapshot } from './core/bind.js';
export {
  type RestoreContextOptions,
  restoreContext,
  type SerializedContext,
  serializeContext,
} from './core/context.js';
export { RESERVED_NAMES } from './core/controls.js';
export { defineCurrent } from './core/current.js';
export {
  CurrentAttributesError,
  InvalidArgumentError,
  InvalidDefinitionError,
  InvalidPayloadError,
  ReadonlyAttributeError,
  ResetCallbackError,
  RestrictedAttributeError,
  ScopeMissingError,
  UnknownAttributeError,
  UnserializableAttributeError,
} from './core/errors.js';
export { MissingPeerDependencyError } from './core/peer.js';
export type { AnyCurrent } from './core/registry.js';
export { openScope, type RequestScope } from './core/scope.js';
export type { AttributesClass } from './core/shape.js';
export type { TravelRule } from './core/travel.js';
export type {
  AttributeEntry,
  AttributeKey,
  Attributes,
  Current,
  CurrentControls,
  DefineCurrentOptions,
  SerializedAttributes,
  TravelOptions,
} from './core/types.js';
export { ClientDisconnectedError, DeadlineExceededError } from './deadline/errors.js';
export { remainingMs, requestSignal } from './deadline/request-signal.js';
export { currentLogFields, type LogFieldKey } from './logs/fields.js';
