/** Where the counter lives: reads and writes that take an await, like a database's. */
export interface CounterStore {
  read(): Promise<number>;
  write(value: number): Promise<void>;
}

/** Read, add one, write back: loses an increment when another one runs between the read and the write. */
export async function increment(store: CounterStore): Promise<void> {
  const value = await store.read();
  await store.write(value + 1);
}
