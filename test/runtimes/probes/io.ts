import { callbackRead, needsEcho, type ProbeCase, readId } from './case.js';

/** Callbacks and continuations of I/O the runtime does natively. */
export const ioProbes: readonly ProbeCase[] = [
  {
    id: 'io.fetch',
    title: '`await fetch()` and its body',
    group: 'I/O',
    unavailable: needsEcho,
    read: async ({ echoUrl }) => {
      await (await fetch(echoUrl as string)).text();
      return readId();
    },
  },
  {
    id: 'io.http-get',
    title: 'the response and `end` listeners of a `node:http` request',
    group: 'I/O',
    unavailable: needsEcho,
    read: async ({ echoUrl }) => {
      const { get } = await import('node:http');
      const { promise, read, fail } = callbackRead();
      get(echoUrl as string, (response) => {
        response.resume();
        response.once('end', read);
      }).once('error', fail);
      return promise;
    },
  },
  {
    id: 'io.net-socket',
    title: 'a `data` listener of a `node:net` socket',
    group: 'I/O',
    unavailable: needsEcho,
    read: async ({ echoUrl }) => {
      const { connect } = await import('node:net');
      // denoland/deno#35154: node:net callbacks ran with no store.
      const { promise, read, fail } = callbackRead();
      const { hostname, port } = new URL(echoUrl as string);
      const socket = connect(Number(port), hostname, () =>
        socket.write(`GET / HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`),
      );
      socket.once('data', () => {
        read();
        socket.destroy();
      });
      socket.once('error', fail);
      return promise;
    },
  },
  {
    id: 'io.fs-callback',
    title: 'a `node:fs` callback',
    group: 'I/O',
    read: async () => {
      const { stat } = await import('node:fs');
      const { promise, read, fail } = callbackRead();
      stat('.', (error) => (error ? fail(error) : read()));
      return promise;
    },
  },
  {
    id: 'io.fs-promises',
    title: '`await` of `node:fs/promises`',
    group: 'I/O',
    read: async () => {
      const { stat } = await import('node:fs/promises');
      await stat('.');
      return readId();
    },
  },
  {
    id: 'io.crypto-callback',
    title: 'a `crypto.randomBytes` callback',
    group: 'I/O',
    read: async () => {
      const { randomBytes } = await import('node:crypto');
      const { promise, read, fail } = callbackRead();
      randomBytes(8, (error) => (error ? fail(error) : read()));
      return promise;
    },
  },
  {
    id: 'io.crypto-subtle',
    title: '`await crypto.subtle.digest()`',
    group: 'I/O',
    read: async () => {
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode('probe'));
      return readId();
    },
  },
  {
    id: 'io.zlib-callback',
    title: 'a `zlib.gzip` callback',
    group: 'I/O',
    read: async () => {
      const { gzip } = await import('node:zlib');
      const { promise, read, fail } = callbackRead();
      gzip('probe', (error) => (error ? fail(error) : read()));
      return promise;
    },
  },
  {
    id: 'io.dns-lookup',
    title: 'a `dns.lookup` callback',
    group: 'I/O',
    read: async () => {
      const { lookup } = await import('node:dns');
      const { promise, read, fail } = callbackRead();
      lookup('127.0.0.1', (error) => (error ? fail(error) : read()));
      return promise;
    },
  },
  {
    id: 'io.child-process',
    title: 'an `execFile` callback',
    group: 'I/O',
    read: async () => {
      const { execFile } = await import('node:child_process');
      const { promise, read, fail } = callbackRead();
      execFile('true', (error) => (error ? fail(error) : read()));
      return promise;
    },
  },
];
