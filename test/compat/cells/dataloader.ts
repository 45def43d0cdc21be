import { perRequest } from 'current-attributes';
import DataLoader from 'dataloader';
import { libraryRows } from '../harness/cell.js';
import { ProbeBoard } from '../harness/probes.js';
import type { Probe } from '../harness/reads.js';

interface Shared {
  readonly loader: () => DataLoader<number, number>;
  readonly board: ProbeBoard;
}

/** The batch function reads Current for each key: the key is the request that asked for it. */
function batchReading(board: ProbeBoard) {
  return async (keys: readonly number[]) => {
    for (const key of keys) board.readFor(key);
    return keys;
  };
}

const request = async ({ loader, board }: Shared, probe: Probe) => {
  board.enter(probe);
  await loader().load(probe.id);
  probe.read();
};

export const rows = libraryRows('dataloader', 'dataloader', [
  {
    key: 'shared',
    mode: 'one loader made at start-up, batching across requests',
    asIs: {
      start(): Shared {
        const board = new ProbeBoard();
        const loader = new DataLoader(batchReading(board), { cache: false });
        return { loader: () => loader, board };
      },
      stop: () => undefined,
      request,
    },
    fixed: {
      fix: 'const loader = perRequest(() => new DataLoader(batch)); loader().load(id)',
      cell: {
        start(): Shared {
          const board = new ProbeBoard();
          return { loader: perRequest(() => new DataLoader(batchReading(board))), board };
        },
        stop: () => undefined,
        request,
      },
    },
  },
]);
