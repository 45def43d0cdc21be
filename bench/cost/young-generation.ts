// Loaded with `node --import` into a cost server run natively: prints the size
// V8's young generation settled at, once the server exits (see `pinnedYoungGeneration`).
import { getHeapSpaceStatistics } from 'node:v8';

process.on('exit', () => {
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  if (newSpace !== undefined) process.stdout.write(`young-generation ${newSpace.space_size}\n`);
});
