import type { ProbeCase } from './case.js';
import { eventAndStreamProbes } from './events-streams.js';
import { ioProbes } from './io.js';
import { libraryProbes } from './library.js';
import { promiseProbes } from './promises.js';
import { rawProbes } from './raw.js';
import { threadProbes } from './threads.js';
import { timerProbes } from './timers.js';

/** Every probe of the context-loss suite, in the page's order. */
export const allProbes: readonly ProbeCase[] = [
  ...libraryProbes,
  ...promiseProbes,
  ...timerProbes,
  ...eventAndStreamProbes,
  ...ioProbes,
  ...threadProbes,
  ...rawProbes,
];
