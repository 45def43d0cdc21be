import { defineCurrent } from 'current-attributes';

class Attributes {
  requestId: string = crypto.randomUUID();
  tenant?: string;
  userId?: number;
  apiToken?: string;
}

export const Current = defineCurrent(Attributes, {
  // What the next service may know: the request id, the tenant, the user's id.
  travel: { requestId: 'request-id', tenant: true, userId: { as: 'user-id', serialize: String, parse: Number } },
  // What never leaves this process (logs, spans, other services), but may go into its own jobs.
  hidden: ['apiToken'],
});
