/** Waits for the event loop's next check phase: every continuation released in this turn has run by then. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
