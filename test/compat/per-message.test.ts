import { EventEmitter } from 'node:events';
import { defineCurrent, InvalidArgumentError, scopePerMessage, UnserializableAttributeError } from 'current-attributes';
import { describe, expect, test } from 'vitest';
import { Current } from './harness/current.js';

/** A socket stands in for a WebSocket: made outside any request, it emits its messages from its own context. */
function connection() {
  return new EventEmitter();
}

describe('scopePerMessage', () => {
  test("leaves a handler added in Current.run without the connection's values when the socket emits", () => {
    const socket = connection();
    const seen: Array<number | undefined> = [];
    Current.run(() => {
      Current.requestId = 7;
      socket.on('message', () => seen.push(Current.requestId));
    });
    socket.emit('message');
    expect(seen).toEqual([undefined]);
  });

  test("runs each message in a fresh scope that starts from the connection's values", () => {
    const socket = connection();
    const seen: Array<number | undefined> = [];
    const inScope = scopePerMessage(() => {
      Current.requestId = 7;
    });
    socket.on(
      'message',
      inScope((text: string) => {
        seen.push(Current.requestId);
        if (text === 'change') Current.requestId = 8; // stays in this message's scope
      }),
    );
    socket.emit('message', 'change');
    socket.emit('message', 'read');
    expect(seen).toEqual([7, 7]);
    expect(Current.isActive).toBe(false);
  });

  test('makes a message that arrives before an async setup settled wait for it', async () => {
    const inScope = scopePerMessage(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      Current.requestId = 9;
    });
    expect(await inScope(() => Current.requestId)()).toBe(9);
    expect(inScope(() => Current.requestId)()).toBe(9);
  });

  test('reports a failed setup: at once when synchronous, from every wrapped call when async', async () => {
    expect(() =>
      scopePerMessage(() => {
        throw new Error('no user');
      }),
    ).toThrow('no user');
    const inScope = scopePerMessage(async () => {
      throw new Error('no user yet');
    });
    await expect(inScope(() => 1)()).rejects.toThrow('no user yet');
  });

  test('refuses values that cannot be carried to a new scope, and arguments that are not functions', () => {
    class Account {
      id = 1;
    }
    class Attributes {
      account?: Account;
    }
    const Accounts = defineCurrent(Attributes, { name: 'AccountCurrent' });
    expect(() =>
      scopePerMessage(() => {
        Accounts.account = new Account();
      }),
    ).toThrow(UnserializableAttributeError);
    expect(() => scopePerMessage('setup' as never)).toThrow(InvalidArgumentError);
    expect(() => scopePerMessage(() => {})('handler' as never)).toThrow(InvalidArgumentError);
  });
});
