import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { watchText } from './text-watch.js';

/** An example server running in a Node process of its own. */
export interface ExampleServer {
  /** Its `http://127.0.0.1:port` address, as it printed it. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts an example that listens on `PORT` and prints its address, as the
 * README's quick start does: `node ...args` with `PORT=0`, so the system
 * picks a free port and the example tells which.
 */
export async function startExampleServer(args: readonly string[], cwd?: string): Promise<ExampleServer> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const output = watchText();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => output.append(chunk));
  const address = /http:\/\/127\.0\.0\.1:\d+/;
  await output.shows(address, exited, `node ${args.join(' ')} exited`);
  return {
    url: (output.text.match(address) as RegExpMatchArray)[0],
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill();
      await exited;
    },
  };
}

/**
 * Asks `/me` `count` times at once, as Ann, Bob and nobody in turn, and
 * returns the answers that named the wrong user and how many distinct
 * request ids came back.
 */
export async function askConcurrently(url: string, count: number) {
  const tokens = ['token-ann', 'token-bob', undefined] as const;
  const names = { 'token-ann': 'Ann', 'token-bob': 'Bob' };
  const answers = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const token = tokens[i % 3];
      const response = await fetch(`${url}/me`, { headers: token === undefined ? {} : { authorization: token } });
      const body = (await response.json()) as { user: string | null; requestId: string };
      return { expected: token === undefined ? null : names[token], ...body };
    }),
  );
  return {
    wrongUser: answers.filter(({ user, expected }) => user !== expected),
    requestIds: new Set(answers.map(({ requestId }) => requestId)).size,
  };
}
