import type { Runtime } from './launch.js';

/**
 * The upstream reports behind a verdict other than `ok`, by runtime and probe
 * id, for the page. Only what a run showed is printed: an entry whose probe
 * turns `ok` disappears from the page by itself.
 */
export const UPSTREAM: Partial<Record<Runtime, Record<string, string>>> = {
  node: {
    'raw.enter-with-after-await':
      'by design: `enterWith` changes the store of the current async resource only, so the caller of an `async` function does not see it after an `await`; the library never calls `enterWith`',
  },
  bun: {
    'raw.enter-with-after-await': 'oven-sh/bun#21303 (`enterWith` after `await`)',
    'timers.abort-signal-timeout': 'oven-sh/bun PR #32805 (MessagePort, Worker and `AbortSignal.timeout`)',
    'threads.message-channel': 'oven-sh/bun PR #32805 (MessagePort, Worker and `AbortSignal.timeout`)',
    'threads.worker': 'oven-sh/bun PR #32805; carry values with `serializeContext()`/`restoreContext()` instead',
    'streams.finished': 'oven-sh/bun#27428 (`stream.finished`)',
    'library.bind': 'oven-sh/bun#36114 (`AsyncLocalStorage.bind` drops `this`); `bind` uses a snapshot instead',
  },
  deno: {
    'io.net-socket': 'denoland/deno#35154 (`node:net`)',
    'streams.finished': 'denoland/deno#32327 (`stream.finished`), open',
    'raw.enter-with-after-await': 'same as Node: `enterWith` does not reach the caller after an `await`',
    'timers.abort-signal-timeout':
      'the `abort` event of `AbortSignal.timeout()` runs outside the scope that made the signal',
  },
  workerd: {
    'raw.enter-with-after-await': 'workerd implements no `enterWith` (documented subset of AsyncLocalStorage)',
    'timers.abort-signal-timeout':
      'the `abort` event of `AbortSignal.timeout()` runs outside the scope that made the signal',
  },
};
