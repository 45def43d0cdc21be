/** Libraries users hit that the matrix does not run, and why: listed on the page, never skipped silently. */
export const notMeasured: ReadonlyArray<{ readonly library: string; readonly reason: string }> = [
  {
    library: 'mongoose, mongodb',
    reason:
      'needs a MongoDB server, which Debian does not package; mongodb-memory-server downloads the server binary at ' +
      'run time, which this machine and CI cannot fetch (only the npm registry and Debian are reachable)',
  },
  {
    library: 'prisma',
    reason:
      'its CLI downloads engine binaries at install and generate time from outside the npm registry, which this ' +
      'machine and CI cannot fetch; not tried further',
  },
];
