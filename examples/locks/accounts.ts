/** An account store whose reads and writes each take an await (`io`), like a database's. */
export function createAccounts(
  opening: Record<string, number>,
  io: () => Promise<unknown> = () => new Promise((resolve) => setImmediate(resolve)),
) {
  const balances = new Map(Object.entries(opening));
  return {
    async balance(id: string): Promise<number> {
      await io();
      return balances.get(id) ?? 0;
    },
    async setBalance(id: string, amount: number): Promise<void> {
      await io();
      balances.set(id, amount);
    },
  };
}
