import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { IdentityFileError } from '../src/errors.js';
import { generateIdentities, parseIdentities, readIdentities } from '../src/identities.js';
import { checkIdentities } from '../src/identity-checks.js';
import { compileRequestTemplate } from '../src/request-template.js';

const bearer = compileRequestTemplate({
  method: 'GET',
  path: '/me',
  headers: ['authorization: Bearer {token}'],
  expect: '{name}',
});

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'probe-identities-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

async function file(name: string, text: string): Promise<string> {
  const at = path.join(directory, name);
  await writeFile(at, text);
  return at;
}

describe('reading identities', () => {
  test('reads a CSV file: a header naming the fields, quoted values, blank lines skipped, each user with its line', async () => {
    const users = await readIdentities(await file('users.csv', '\uFEFFname,token\r\nann,t-1\n\n"Doe, Bob",t-2\n'));
    expect(users).toEqual([
      { number: 1, label: 'line 2', fields: { i: '1', name: 'ann', token: 't-1' } },
      { number: 2, label: 'line 4', fields: { i: '2', name: 'Doe, Bob', token: 't-2' } },
    ]);
  });

  test('reads JSON lines, turning numbers and booleans into text', async () => {
    const users = await readIdentities(
      await file('users.jsonl', '{"name":"ann","id":7,"admin":true}\n\n{"name":"bob","id":8}\n'),
    );
    expect(users.map(({ label, fields }) => [label, fields])).toEqual([
      ['line 1', { i: '1', name: 'ann', id: '7', admin: 'true' }],
      ['line 3', { i: '2', name: 'bob', id: '8' }],
    ]);
  });

  test('generates users whose only field is their number', () => {
    expect(generateIdentities(2)).toEqual([
      { number: 1, label: 'user 1', fields: { i: '1' } },
      { number: 2, label: 'user 2', fields: { i: '2' } },
    ]);
  });

  test.each([
    ['users.txt', 'name\nann\n', 'Cannot tell the format of'],
    [
      'short.csv',
      'name,token\nann,t-1\nbob\n',
      'short.csv: Invalid Record Length: columns length is 2, got 1 on line 3.',
    ],
    ['quote.csv', 'name,token\nann,"t-1\n', 'quote.csv: Quote Not Closed'],
    ['twice.csv', 'name,name\nann,bob\n', 'twice.csv: the header names the column `name` twice.'],
    ['broken.jsonl', '{"name":"ann"}\n{"name":\n', 'broken.jsonl line 2 is not JSON'],
    [
      'list.jsonl',
      '["ann"]\n',
      'list.jsonl line 1: expected an object of fields such as {"name": "ann", "token": "t-1"}, got `ann` (array).',
    ],
    [
      'nested.jsonl',
      '{"user":{"name":"ann"}}\n',
      'nested.jsonl line 1: expected field `user` to be a string, number or boolean, got `[object Object]` (object).',
    ],
  ])('rejects %s with a message naming the line and the fix', async (name, text, message) => {
    const read = readIdentities(await file(name, text));
    await expect(read).rejects.toThrow(IdentityFileError);
    await expect(read).rejects.toThrow(message);
  });

  test('rejects a file it cannot read, naming it', async () => {
    await expect(readIdentities(path.join(directory, 'missing.csv'))).rejects.toThrow(
      /Cannot read the identities file `.*missing\.csv`: ENOENT/,
    );
  });
});

describe('checking identities before any request', () => {
  const csv = (text: string) => parseIdentities(text, 'csv', 'users.csv');

  test("renders each user's request and the value its answer must carry", () => {
    expect(checkIdentities(csv('name,token\nann,t-1\nbob,t-2\n'), bearer, 'users.csv')).toEqual([
      { method: 'GET', path: '/me', headers: { authorization: 'Bearer t-1' }, expected: 'ann' },
      { method: 'GET', path: '/me', headers: { authorization: 'Bearer t-2' }, expected: 'bob' },
    ]);
  });

  test.each([
    ['name,token\nann,t-1\n', 'users.csv holds 1 user; the probe needs at least 2'],
    ['name,token\nann,t-1\nbob,\n', 'users.csv: line 3 has no `token`, which header `authorization` uses.'],
    [
      'name,secret\nann,t-1\nbob,t-2\n',
      'users.csv: line 2 has no `token`, which header `authorization` uses; line 3 has no `token`',
    ],
    [
      'name,token\nann,t-1\nann,t-2\n',
      'users.csv: line 2 and line 3 both expect `ann`. Each user must expect a value of its own',
    ],
    [
      'name,token\nann,t-1\nbob,t-1\n',
      'users.csv: line 2 and line 3 send the same request. The server cannot tell such users apart',
    ],
    ['name,token\nann,"t\n1"\nbob,t-2\n', 'users.csv: line 3: header `authorization` would hold a line break.'],
  ])('rejects %j before any load, naming the lines at fault', (text, message) => {
    expect(() => checkIdentities(csv(text), bearer, 'users.csv')).toThrow(IdentityFileError);
    expect(() => checkIdentities(csv(text), bearer, 'users.csv')).toThrow(message);
  });

  test('lists five problems and counts the rest', () => {
    const users = generateIdentities(8);
    expect(() => checkIdentities(users, bearer, 'generated users')).toThrow(
      /user 3 has no `token`, which header `authorization` uses; and 11 more\./,
    );
  });
});
