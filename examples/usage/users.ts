export interface User {
  readonly name: string;
  readonly account: string;
  readonly role: 'admin' | 'member';
}

const byToken = new Map<string, User>([
  ['token-ann', { name: 'Ann', account: 'acme', role: 'admin' }],
  ['token-bob', { name: 'Bob', account: 'globex', role: 'member' }],
]);

/** Stands in for a database lookup: answers after a real await. */
export async function findUser(token: string | undefined): Promise<User | undefined> {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return token === undefined ? undefined : byToken.get(token);
}
