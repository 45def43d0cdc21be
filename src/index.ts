export { bind, bindEmitter, snapshot } from './bind.js';
export { type RestoreContextOptions, restoreContext, type SerializedContext, serializeContext } from './context.js';
export { RESERVED_NAMES } from './controls.js';
export { defineCurrent } from './current.js';
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
} from './errors.js';
export { currentLogFields, type LogFieldKey } from './log-fields.js';
export type { AnyCurrent } from './registry.js';
export { openScope, type RequestScope } from './scope.js';
export type { AttributesClass } from './shape.js';
export type {
  AttributeEntry,
  AttributeKey,
  Attributes,
  Current,
  CurrentControls,
  DefineCurrentOptions,
  SerializedAttributes,
} from './types.js';
