import { defineCurrent } from 'current-attributes';

export const SECRET = 'a shared secret of more than 32 bytes, for tests only';

class Attributes {
  requestId?: string;
  tenant?: string;
  userId?: number;
  apiToken?: string;
  locale = 'en';
}

/** Traveling: requestId (as `request-id`), tenant, userId (a number); hidden: apiToken; local only: locale. */
export const Traveling = defineCurrent(Attributes, {
  name: 'Traveling',
  travel: { requestId: 'request-id', tenant: true, userId: { as: 'user-id', serialize: String, parse: parseUserId } },
  hidden: ['apiToken'],
});

function parseUserId(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id)) throw new Error(`not a user id: ${text}`);
  return id;
}
