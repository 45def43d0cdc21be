import { randomUUID } from 'node:crypto';
import { defineCurrent } from 'current-attributes';

class JobAttributes {
  user?: string;
  requestId: string = randomUUID();
}

/** The Current both the test process and the worker process define. */
export const Current = defineCurrent(JobAttributes);
