export { MissingPeerError } from '../propagation/errors.js';
export type { OtelValue } from './attribute-reader.js';
export {
  type CurrentAttributesProcessorOptions,
  currentLogRecordProcessor,
  currentSpanProcessor,
  type LogRecordLike,
  type SpanLike,
} from './processors.js';
export { currentTextMapPropagator, type TextMapSetterLike } from './text-map-propagator.js';
export { currentTraceIds, type TraceIds, withTraceIds } from './trace-ids.js';
