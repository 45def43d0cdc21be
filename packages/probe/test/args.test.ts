import { describe, expect, test } from 'vitest';
import { parseProbeArgs } from '../src/args.js';
import { ProbeUsageError } from '../src/errors.js';

describe('the probe command line', () => {
  test('probes 1000 generated users at 1, 10 and 50 connections for 10 s each when given only a URL', () => {
    expect(parseProbeArgs(['http://127.0.0.1:3000/me?user={i}'])).toEqual({
      url: 'http://127.0.0.1:3000/me?user={i}',
      origin: 'http://127.0.0.1:3000',
      request: { method: 'GET', path: '/me?user={i}', headers: [], body: undefined, expect: '{i}' },
      identities: { generate: 1000 },
      rule: { jsonPath: undefined, regex: undefined },
      connections: [1, 10, 50],
      durationSeconds: 10,
      requests: undefined,
      ratePerSecond: undefined,
      warmupSeconds: 0,
      timeoutSeconds: 10,
      examples: 3,
      json: false,
    });
  });

  test('reads every option, long and short', () => {
    const settings = parseProbeArgs([
      'https://staging.example.com',
      '-i',
      'users.csv',
      '-X',
      'post',
      '-H',
      'authorization: Bearer {token}',
      '--header=x-tenant: {tenant}',
      '-b',
      '{"name": "{name}"}',
      '-e',
      '{name}',
      '--json-path',
      'user.name',
      '-c',
      '2, 8',
      '-n',
      '800',
      '-r',
      '100',
      '-w',
      '0.5',
      '-t',
      '2',
      '--examples',
      '0',
      '--json',
    ]);
    expect(settings).toMatchObject({
      origin: 'https://staging.example.com',
      request: {
        method: 'post',
        path: '/',
        headers: ['authorization: Bearer {token}', 'x-tenant: {tenant}'],
        body: '{"name": "{name}"}',
        expect: '{name}',
      },
      identities: { file: 'users.csv' },
      rule: { jsonPath: 'user.name' },
      connections: [2, 8],
      requests: 800,
      // With a request count, the duration only bounds each run.
      durationSeconds: 600,
      ratePerSecond: 100,
      warmupSeconds: 0.5,
      timeoutSeconds: 2,
      examples: 0,
      json: true,
    });
  });

  test('returns help for --help, whatever else is given', () => {
    expect(parseProbeArgs(['--help'])).toBe('help');
    expect(parseProbeArgs(['http://127.0.0.1:3000', '-h'])).toBe('help');
  });

  test.each([
    [[], 'Expected one URL to probe, such as `current-attributes-probe http://127.0.0.1:3000/me`, got 0.'],
    [
      ['localhost:3000'],
      'Expected an http:// or https:// URL, such as `http://127.0.0.1:3000/me`, got `localhost:3000` (string).',
    ],
    [['http://127.0.0.1:3000/#top'], 'Expected the URL without a #fragment, which is never sent, got'],
    [
      ['http://ann:secret@127.0.0.1:3000/me'],
      "The URL holds a user name or password, which would not be sent: pass them as a header, such as -H 'authorization: Basic {credentials}'.",
    ],
    [
      ['http://127.0.0.1', '-c', '0'],
      'Expected `--connections` to list up to 20 integers from 1 to 10000, such as `1,10,50`, got `0` (string).',
    ],
    [['http://127.0.0.1', '-c', '1,,2'], 'got `` (string)'],
    [
      ['http://127.0.0.1', '--duration=-1'],
      'Expected `--duration` to be seconds greater than 0 and up to 3600, such as 10 or 2.5, got `-1` (string).',
    ],
    [
      ['http://127.0.0.1', '-w', 'soon'],
      'Expected `--warmup` to be seconds from 0 up to 600, such as 10 or 2.5, got `soon` (string).',
    ],
    [
      ['http://127.0.0.1', '-n', '5', '-c', '1,10'],
      'Expected `--requests` to be at least the largest connection count (10), got `5`: every connection sends at least one request.',
    ],
    [
      ['http://127.0.0.1', '-r', '5', '-c', '10'],
      'Expected `--rate` to be at least the largest connection count (10), got `5`',
    ],
    [
      ['http://127.0.0.1', '--generate', '1'],
      'Expected `--generate` to be an integer from 2 to 100000, got `1` (string).',
    ],
    [
      ['http://127.0.0.1', '-i', 'users.csv'],
      "Give --expect: the value each answer must carry, from the user's fields, such as --expect '{name}'.",
    ],
    [
      ['http://127.0.0.1', '-i', 'users.csv', '--generate', '5'],
      'Give --identities <file> or --generate <count>, not both.',
    ],
    [['http://127.0.0.1', '--verbose'], "Unknown option '--verbose'"],
  ])('rejects %j with a message that says what to pass', (argv, message) => {
    expect(() => parseProbeArgs(argv)).toThrow(ProbeUsageError);
    expect(() => parseProbeArgs(argv)).toThrow(message);
  });
});
