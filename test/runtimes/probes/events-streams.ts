import { EventEmitter, once } from 'node:events';
import { finished, PassThrough, pipeline, Readable, Writable } from 'node:stream';
import { Current, callbackRead, inWorkerd, type ProbeCase, readId } from './case.js';

/** Emitters and streams that the scope itself creates and drives. */
export const eventAndStreamProbes: readonly ProbeCase[] = [
  {
    id: 'events.once',
    title: '`await once(emitter)` of an event emitted by a timer',
    group: 'events and streams',
    read: async () => {
      const emitter = new EventEmitter();
      setTimeout(() => emitter.emit('ready'), 1);
      await once(emitter, 'ready');
      return readId();
    },
  },
  {
    id: 'events.event-target',
    title: 'an `EventTarget` listener, dispatched by a timer',
    group: 'events and streams',
    read: () => {
      const { promise, read } = callbackRead();
      const target = new EventTarget();
      target.addEventListener('ready', read, { once: true });
      setTimeout(() => target.dispatchEvent(new Event('ready')), 1);
      return promise;
    },
  },
  {
    id: 'streams.finished',
    title: 'a `stream.finished` callback',
    group: 'events and streams',
    read: () => {
      // oven-sh/bun#27428 and denoland/deno#32327: the callback ran with no store.
      const { promise, read, fail } = callbackRead();
      const stream = new PassThrough();
      finished(stream, (error) => (error ? fail(error) : read()));
      stream.resume();
      setTimeout(() => stream.end('done'), 1);
      return promise;
    },
  },
  {
    id: 'streams.finished-http-response',
    title: 'a `stream.finished` callback of a `node:http` server’s response',
    group: 'events and streams',
    unavailable: () => (inWorkerd() ? 'a node:http server does not listen on a socket in workerd' : undefined),
    read: async ({ id }) => {
      // The case of oven-sh/bun#27428 and denoland/deno#32327, which on-finished and Koa use.
      const { createServer } = await import('node:http');
      const { promise, read, fail } = callbackRead();
      const server = createServer((_request, response) =>
        // The handler runs in the server's context: a scope of its own, kept until the callback, as an adapter's.
        Current.run(
          () =>
            new Promise<void>((settle) => {
              Current.requestId = id;
              finished(response, (error) => {
                if (error) fail(error);
                else read();
                settle();
              });
              setTimeout(() => response.end('ok'), 1);
            }),
        ),
      );
      await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
      try {
        const { port } = server.address() as { port: number };
        await (await fetch(`http://127.0.0.1:${port}/`)).text();
        return await promise;
      } finally {
        server.close();
      }
    },
  },
  {
    id: 'streams.pipeline',
    title: 'a `stream.pipeline` callback',
    group: 'events and streams',
    read: () => {
      const { promise, read, fail } = callbackRead();
      const sink = new Writable({ write: (_chunk, _encoding, done) => setTimeout(done, 1) });
      pipeline(Readable.from(['a', 'b']), sink, (error) => (error ? fail(error) : read()));
      return promise;
    },
  },
  {
    id: 'streams.data',
    title: 'a `data` listener of a Readable fed by a timer',
    group: 'events and streams',
    read: () => {
      const { promise, read } = callbackRead();
      const stream = new PassThrough();
      stream.once('data', read);
      setTimeout(() => stream.write('chunk'), 1);
      return promise;
    },
  },
  {
    id: 'streams.web',
    title: 'reading a web `ReadableStream` whose source waits on a timer',
    group: 'events and streams',
    read: async () => {
      const body = new ReadableStream<string>({
        pull: (controller) =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              controller.enqueue('chunk');
              controller.close();
              resolve();
            }, 1),
          ),
      });
      const reader = body.getReader();
      while (!(await reader.read()).done);
      return readId();
    },
  },
];
