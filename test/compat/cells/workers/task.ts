import { restoreContext, type SerializedContext } from 'current-attributes';
import { Current } from '../../harness/current.js';

/** A piscina task: reads Current, in the context the task carries if any. */
export default function readCurrent({ context }: { context?: SerializedContext }): number | undefined {
  const read = () => Current.requestId;
  return context === undefined ? read() : restoreContext(context, read);
}
