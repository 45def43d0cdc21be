import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { askConcurrently, type ExampleServer, startExampleServer } from '../support/example-server.js';

const script = fileURLToPath(new URL('../../examples/quick-start/server.ts', import.meta.url));

let server: ExampleServer;
// The file a newcomer pastes, run as they run it: its own process, under tsx.
beforeAll(async () => {
  server = await startExampleServer(['--import', 'tsx', script]);
});
afterAll(() => server.stop());

describe('the quick start', () => {
  test('answers each of 60 concurrent requests with its own user and a request id of its own', async () => {
    expect(await askConcurrently(server.url, 60)).toEqual({ wrongUser: [], requestIds: 60 });
  });
});
