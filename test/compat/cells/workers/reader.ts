import { parentPort } from 'node:worker_threads';
import { restoreContext, type SerializedContext } from 'current-attributes';
import { Current } from '../../harness/current.js';

/** A worker thread made at start-up: reads Current for each message, in the context the message carries if any. */
parentPort?.on('message', ({ id, context }: { id: number; context?: SerializedContext }) => {
  const read = () => Current.requestId;
  parentPort?.postMessage({ id, seen: context === undefined ? read() : restoreContext(context, read) });
});
