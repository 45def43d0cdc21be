import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished, pipeline, Readable, Transform, Writable } from 'node:stream';
import { bindCallbacks, snapshot } from 'current-attributes';
import { viaCallback } from '../harness/callback.js';
import { libraryRows } from '../harness/cell.js';
import { ProbeBoard } from '../harness/probes.js';
import type { Probe } from '../harness/reads.js';

/** A log file opened at start-up and written by every request: write callbacks come from the file's last write. */
function sharedWriteStream(bound: boolean) {
  return {
    start() {
      const dir = mkdtempSync(join(tmpdir(), 'current-attributes-compat-log-'));
      const stream = createWriteStream(join(dir, 'requests.log'));
      return { dir, stream: bound ? bindCallbacks(stream, ['write']) : stream };
    },
    async stop({ dir, stream }: { dir: string; stream: WriteStream }) {
      await new Promise((resolve) => stream.end(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
    async request({ stream }: { stream: WriteStream }, probe: Probe) {
      await viaCallback<undefined>(
        (callback) => stream.write(`request ${probe.id}\n`, callback as never),
        () => probe.read(),
      );
    },
  };
}

/** An audit log with a timer made at start-up: each request queues an entry and waits until the timer wrote it. */
function auditTimer(inScope: boolean) {
  return {
    start() {
      const board = new ProbeBoard();
      const pending: Array<{ id: number; written: () => void; run?: (fn: () => void) => void }> = [];
      const timer = setInterval(() => {
        for (const entry of pending.splice(0)) {
          const write = () => board.readFor(entry.id);
          if (entry.run === undefined) write();
          else entry.run(write);
          entry.written();
        }
      }, 2);
      return { board, pending, timer };
    },
    stop: ({ timer }: { timer: NodeJS.Timeout }) => clearInterval(timer),
    async request(
      {
        board,
        pending,
      }: { board: ProbeBoard; pending: Array<{ id: number; written: () => void; run?: (fn: () => void) => void }> },
      probe: Probe,
    ) {
      board.enter(probe);
      await new Promise<void>((written) =>
        pending.push({ id: probe.id, written, ...(inScope ? { run: snapshot() } : {}) }),
      );
      probe.read();
    },
  };
}

export const rows = [
  ...libraryRows('node:stream', undefined, [
    {
      key: 'pipeline',
      mode: 'stream.pipeline of per-request streams, transform and callback',
      asIs: {
        start: () => undefined,
        stop: () => undefined,
        async request(_shared: undefined, probe: Probe) {
          const transform = new Transform({
            transform(chunk, _encoding, callback) {
              probe.read();
              setImmediate(() => callback(null, chunk));
            },
          });
          const sink = new Writable({ write: (_chunk, _encoding, callback) => setImmediate(callback) });
          await viaCallback<undefined>(
            (callback) => pipeline(Readable.from(['a', 'b']), transform, sink, callback as never),
            () => probe.read(),
          );
          await viaCallback<undefined>(
            (callback) => finished(sink, callback as never),
            () => probe.read(),
          );
        },
      },
    },
    {
      key: 'shared-write-stream',
      mode: 'a file write stream made at start-up, write(chunk, callback)',
      asIs: sharedWriteStream(false),
      fixed: { fix: "bindCallbacks(fs.createWriteStream(path), ['write'])", cell: sharedWriteStream(true) },
    },
  ]),
  ...libraryRows('timers', undefined, [
    {
      key: 'set-interval',
      mode: 'setInterval made at start-up, flushing what requests queued',
      asIs: auditTimer(false),
      fixed: { fix: 'queue entries with snapshot() and run the work in it', cell: auditTimer(true) },
    },
  ]),
];
