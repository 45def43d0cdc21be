import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import { listen, type RunningServer } from '../../../test/support/listen.js';
import { runCommand } from './support/cli.js';

/** A run sends two samples and a short load. */
const RUN_TIMEOUT = { timeout: 30_000 };

/** A server that answers each request with its `x-user` header, and keeps what it was sent. */
async function recordingServer() {
  const requests: { url: string; headers: IncomingMessage['headers'] }[] = [];
  const server = await listen((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    res.end(req.headers['x-user']);
  });
  return { server, requests, host: new URL(server.url).host };
}

let servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

/** Two servers on 127.0.0.1: the one the URL names (A) and another one (B). */
async function twoServers() {
  const a = await recordingServer();
  const b = await recordingServer();
  servers.push(a.server, b.server);
  return { a, b };
}

const asUsers = ['-H', 'x-user: user-{i}', '-e', 'user-{i}', '-c', '1', '-n', '4'];

describe('the probe sends to the URL’s origin and nowhere else', () => {
  test.each([
    ['a path that starts with //', (a: string, b: string) => `http://${a}//${b}/x`],
    ['a backslash, which URL parsers read as a slash', (a: string, b: string) => `http://${a}/\\${b}/x`],
    ['a backslash after the host', (a: string, b: string) => `http://${a}\\\\${b}/x`],
  ])('refuses %s with code 2, before sending anything to either server', RUN_TIMEOUT, async (_, urlOf) => {
    const { a, b } = await twoServers();
    const { code, stdout, stderr } = await runCommand([urlOf(a.host, b.host), ...asUsers]);
    expect({ code, stdout, a: a.requests.length, b: b.requests.length }).toEqual({ code: 2, stdout: '', a: 0, b: 0 });
    expect(stderr).toMatch(/^Expected an http:\/\/ or https:\/\/ URL/);
  });

  test.each([
    ['CR LF', '\r\n'],
    ['LF', '\n'],
    ['a tab', '\t'],
    ['a space', ' '],
    ['U+0001', '\u0001'],
    ['DEL', '\u007f'],
  ])(
    'refuses a URL holding %s with code 2, naming the position, and sends nothing',
    RUN_TIMEOUT,
    async (name, character) => {
      const { a, b } = await twoServers();
      const url = `http://${a.host}/me${character}x-injected: yes`;
      const { code, stderr } = await runCommand([url, ...asUsers]);
      expect({ code, a: a.requests.length, b: b.requests.length }).toEqual({ code: 2, a: 0, b: 0 });
      expect(stderr).toContain(
        `holds ${name === 'a space' ? 'a space' : 'a control character'} at position ${a.host.length + 11}`,
      );
    },
  );

  test('refuses a placeholder in the host: every user goes to one origin', RUN_TIMEOUT, async () => {
    const { a } = await twoServers();
    const { code, stderr } = await runCommand([`http://{host}:${new URL(a.server.url).port}/me`, ...asUsers]);
    expect(code).toBe(2);
    expect(stderr).toContain('Placeholders go in the path and query only');
    expect(a.requests).toEqual([]);
  });

  test(
    'sends the samples and the load to A alone, whatever the path and query hold, and B gets nothing',
    RUN_TIMEOUT,
    async () => {
      const { a, b } = await twoServers();
      const url = `http://${a.host}/me/{i}?next=//${b.host}/x&back=%5C${b.host}`;
      const { code, stdout } = await runCommand([url, ...asUsers, '--json']);
      expect(code).toBe(0);
      const { runs } = JSON.parse(stdout);
      // The two samples, then the load.
      expect(a.requests).toHaveLength(2 + runs[0].summary.transactions);
      expect(b.requests).toEqual([]);
      expect(a.requests.every(({ headers }) => headers.host === a.host)).toBe(true);
      expect(a.requests[0]?.url).toBe(`/me/1?next=//${b.host}/x&back=%5C${b.host}`);
    },
  );
});
