import { describe, expect, test } from 'vitest';
import { BenchArgumentError, parseBenchArgs } from '../../bench/args.js';
import { DEFAULT_SETTINGS } from '../../bench/settings.js';

describe('the benchmark command line', () => {
  test('--runtime bun or deno serves the Hono servers and counts no cost; other frameworks or a cost are refused', () => {
    expect(parseBenchArgs(['--runtime', 'deno'])).toMatchObject({
      runtime: 'deno',
      frameworks: ['hono'],
      costStrategies: [],
    });
    expect(() => parseBenchArgs(['--runtime', 'bun', '--framework', 'express,hono'])).toThrow(
      /--runtime bun serves only the Hono servers .*drop express/,
    );
    expect(() => parseBenchArgs(['--runtime', 'bun', '--cost', 'current'])).toThrow(/pass --cost none/);
    expect(() => parseBenchArgs(['--runtime', 'workerd'])).toThrow(BenchArgumentError);
  });

  test('runs the default matrix when given nothing', () => {
    expect(parseBenchArgs([])).toEqual(DEFAULT_SETTINGS);
  });

  test('reads lists, numbers and paths', () => {
    expect(
      parseBenchArgs([
        '--framework',
        'fastify,hono',
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
        '--cost',
        'current,peer',
        '--cost-requests',
        '500,1500',
        '--node',
        process.execPath,
        '--out',
        '/tmp/results',
      ]),
    ).toEqual({
      frameworks: ['fastify', 'hono'],
      strategies: ['current', 'als'],
      delaysMs: [0, 5],
      connections: [1, 50],
      durationSeconds: 2.5,
      rounds: 2,
      warmupSeconds: 0,
      memoryRequests: 0,
      costStrategies: ['current', 'peer'],
      costRequests: [500, 1500],
      runtime: 'node',
      nodePath: process.execPath,
      outDir: '/tmp/results',
      publish: false,
    });
  });

  test('publishes to the docs only when asked', () => {
    expect(parseBenchArgs([])).toMatchObject({ publish: false });
    expect(parseBenchArgs(['--publish'])).toMatchObject({ publish: true });
  });

  test('takes all for every framework or strategy, and none for no cost figure', () => {
    expect(parseBenchArgs(['--framework', 'all', '--strategies', 'all', '--cost', 'none'])).toMatchObject({
      frameworks: ['express', 'fastify', 'koa', 'hono', 'http', 'nest'],
      strategies: ['bare', 'global', 'global-lock', 'current', 'als', 'peer'],
      costStrategies: [],
    });
  });

  test('returns nothing for --help or -h, so the usage is printed', () => {
    expect(parseBenchArgs(['--help'])).toBeUndefined();
    expect(parseBenchArgs(['-h'])).toBeUndefined();
  });

  test.each([
    [
      ['--strategies', 'mutex'],
      'Unknown strategy `mutex`; choose from bare, global, global-lock, current, als, peer, or all.',
    ],
    [
      ['--framework', 'nestjs'],
      'Unknown framework `nestjs`; choose from express, fastify, koa, hono, http, nest, or all.',
    ],
    [
      ['--cost-requests', '4000,1000'],
      'Expected --cost-requests to be two request counts, where the counted window starts',
    ],
    [['--cost-requests', '1000'], 'Expected --cost-requests to be two request counts'],
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
