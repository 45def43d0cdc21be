import { describe, expect, test } from 'vitest';
import { BenchArgumentError, parseBenchArgs } from '../../bench/args.js';
import { DEFAULT_SETTINGS } from '../../bench/settings.js';

describe('the benchmark command line', () => {
  test('runs the default matrix when given nothing', () => {
    expect(parseBenchArgs([])).toEqual(DEFAULT_SETTINGS);
  });

  test('reads lists, numbers and paths', () => {
    expect(
      parseBenchArgs([
        '--strategies',
        'current,als',
        '--delays',
        '0, 5',
        '--connections=1,50',
        '--duration',
        '2.5',
        '--rounds',
        '2',
        '--warmup',
        '0',
        '--memory-requests',
        '0',
        '--node',
        process.execPath,
        '--out',
        '/tmp/results',
      ]),
    ).toEqual({
      strategies: ['current', 'als'],
      delaysMs: [0, 5],
      connections: [1, 50],
      durationSeconds: 2.5,
      rounds: 2,
      warmupSeconds: 0,
      memoryRequests: 0,
      nodePath: process.execPath,
      outDir: '/tmp/results',
    });
  });

  test('returns nothing for --help, so the usage is printed', () => {
    expect(parseBenchArgs(['--help'])).toBeUndefined();
  });

  test.each([
    [['--strategies', 'mutex'], 'Unknown strategy `mutex`; choose from global, global-lock, current, als.'],
    [['--connections', '0'], 'Expected --connections to be an integer of at least 1, got `0`.'],
    [['--connections', '1.5'], 'Expected --connections to be an integer of at least 1, got `1.5`.'],
    [['--delays', 'soon'], 'Expected --delays to be a number of at least 0, got `soon`.'],
    [['--duration', '0'], 'Expected --duration to be a number of at least 0.1, got `0`.'],
    [['--delays', ','], 'Expected --delays to list at least one value, got `,`.'],
    [['--node', '/no/such/node'], 'No Node binary at `/no/such/node`.'],
    [['--verbose'], "Unknown option '--verbose'"],
  ])('rejects %j with a message that says what to pass', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(BenchArgumentError);
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});
