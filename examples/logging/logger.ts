import { currentLogFields } from 'current-attributes';
import { type DestinationStream, pino } from 'pino';
import { Current } from './current.js';

/** Every line gets the request's id and user id; lines outside a request get neither. */
export function createLogger(destination: DestinationStream = pino.destination(1)) {
  return pino({ mixin: currentLogFields(Current, ['requestId', 'userId']) }, destination);
}
