/**
 * Waits, turn by turn of the event loop, until `condition` holds: for state
 * the test cannot be told about directly (a request queued in a lock).
 * Gives up after `turns` turns so a broken test fails instead of hanging.
 */
export async function until(condition: () => boolean, turns = 100_000): Promise<void> {
  for (let turn = 0; !condition(); turn += 1) {
    if (turn === turns) throw new Error(`Condition still false after ${turns} event-loop turns: ${condition}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
