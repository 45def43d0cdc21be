import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { createChatServer } from './chat.js';

async function say(url: string, token: string, text: string): Promise<string> {
  const client = new WebSocket(`${url}/?token=${token}`);
  await once(client, 'open');
  const answered = once(client, 'message');
  client.send(text);
  const [answer] = await answered;
  client.close();
  return String(answer);
}

describe('the WebSocket chat recipe', () => {
  test("answers each message with its own connection's user, with two users connected at once", async () => {
    const server = createChatServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await Promise.all([say(url, 'ann', 'hi'), say(url, 'bob', 'hello')])).toEqual(['ann: hi', 'bob: hello']);
      const response = await fetch(`${url.replace('ws', 'http')}/?token=ann`);
      expect(await response.text()).toBe('Hello, ann');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
