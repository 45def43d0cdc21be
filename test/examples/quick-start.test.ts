import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { watchText } from '../support/text-watch.js';

const script = fileURLToPath(new URL('../../examples/quick-start/server.ts', import.meta.url));

let child: ChildProcess;
let url: string;

// The file a newcomer pastes, run as they run it: its own process, under tsx.
beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const output = watchText();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => output.append(chunk));
  await output.shows(/http:\/\/127\.0\.0\.1:\d+\/me/, once(child, 'exit'), 'The quick start exited');
  url = (output.text.match(/http:\/\/127\.0\.0\.1:\d+/) as RegExpMatchArray)[0];
});
afterAll(async () => {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill();
  await exited;
});

describe('the quick start', () => {
  test('prints the curl command that tries it', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('answers each of 60 concurrent requests with its own user and a request id of its own', async () => {
    const tokens = ['token-ann', 'token-bob', undefined] as const;
    const names = { 'token-ann': 'Ann', 'token-bob': 'Bob' };
    const answers = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const token = tokens[i % 3];
        const response = await fetch(`${url}/me`, { headers: token === undefined ? {} : { authorization: token } });
        const body = (await response.json()) as { user: string | null; requestId: string };
        return { expected: token === undefined ? null : names[token], ...body };
      }),
    );
    expect(answers.filter(({ user, expected }) => user !== expected)).toEqual([]);
    expect(new Set(answers.map(({ requestId }) => requestId)).size).toBe(60);
  });
});
