/**
 * Stands in for any slow call a handler awaits: a query, a fetch. The test
 * replaces `query` with a barrier to force the interleaving that leaks.
 */
export const db = {
  query: (_sql: string): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, 10)),
};

const users = new Map([
  ['token-ann', 'Ann'],
  ['token-bob', 'Bob'],
]);

export async function findUser(token: string | undefined): Promise<string | undefined> {
  await new Promise((resolve) => setImmediate(resolve));
  return token?.startsWith('token-user-') ? token.slice('token-'.length) : users.get(token ?? '');
}
