import { describe, expect, test } from 'vitest';
import { ProbeUsageError } from '../src/errors.js';
import { compileRequestTemplate, renderRequest } from '../src/request-template.js';
import { answerRule } from '../src/rule.js';
import { compileTemplate } from '../src/template.js';

describe('templates', () => {
  test('fill {field} placeholders and leave JSON braces alone', () => {
    const body = compileTemplate('{"user": "{name}", "tags": {}, "id": {user.id}}');
    expect(body.fields).toEqual(['name', 'user.id']);
    expect(body.render({ name: 'ann', 'user.id': '7' })).toBe('{"user": "ann", "tags": {}, "id": 7}');
  });

  test('URL-encode the values in the path, and nowhere else', () => {
    const request = compileRequestTemplate({
      method: 'post',
      path: '/users/{name}?q={name}',
      headers: ['X-Name:{name}'],
      body: 'name={name}',
      expect: '{name}',
    });
    expect(renderRequest(request, { name: 'Ann Lee/2' })).toEqual({
      method: 'POST',
      path: '/users/Ann%20Lee%2F2?q=Ann%20Lee%2F2',
      headers: { 'x-name': 'Ann Lee/2' },
      body: 'name=Ann Lee/2',
      expected: 'Ann Lee/2',
    });
  });

  test.each([
    [
      { headers: ['authorization Bearer {token}'] },
      'Expected `--header` to be `name: value`, got `authorization Bearer {token}` (string).',
    ],
    [{ body: 'x' }, 'A GET request carries no body: pass --method POST (or PUT, PATCH) with --body.'],
  ])('reject %j', (source, message) => {
    const compile = () => compileRequestTemplate({ method: 'GET', path: '/', headers: [], expect: '{i}', ...source });
    expect(compile).toThrow(ProbeUsageError);
    expect(compile).toThrow(message);
  });
});

describe('the rule that reads each answer', () => {
  test('reads a field of a JSON answer by a path of names and indexes', () => {
    const rule = answerRule({ jsonPath: '$.data[1].user.id' });
    expect(rule.extract('{"data":[{},{"user":{"id":42}}]}')).toBe('42');
    expect(rule.extract('{"data":[]}')).toBeUndefined();
    expect(rule.extract('{"data":[{},{"user":{"id":{"nested":1}}}]}')).toBeUndefined();
    expect(rule.extract('not json')).toBeUndefined();
    expect(answerRule({ jsonPath: 'user' }).extract('{"user":"ann"}')).toBe('ann');
  });

  test('reads the first group of a regular expression, or its whole match', () => {
    expect(answerRule({ regex: 'Signed in as (\\w+)' }).extract('<p>Signed in as bob</p>')).toBe('bob');
    expect(answerRule({ regex: 'user-\\d+' }).extract('hello user-12!')).toBe('user-12');
    expect(answerRule({ regex: 'user-\\d+' }).extract('nobody')).toBeUndefined();
  });

  test('reads the whole body, trimmed, by default', () => {
    expect(answerRule({}).extract(' carol\n')).toBe('carol');
    expect(answerRule({}).extract('  ')).toBeUndefined();
  });

  test.each([
    [{ jsonPath: 'a', regex: 'b' }, 'Give --json-path or --regex, not both: each answer is read one way.'],
    [
      { jsonPath: 'items[x]' },
      'Expected `--json-path` to be names and indexes such as `user.name` or `$.items[0].id`, got `items[x]` (string).',
    ],
    [{ jsonPath: 'a..b' }, 'got `a..b` (string)'],
    [{ jsonPath: '$' }, 'Expected `--json-path` to name a field'],
    [
      { regex: '(unclosed' },
      'Expected `--regex` to be a regular expression, got `(unclosed` (string): Invalid regular expression',
    ],
  ])('rejects %j', (source, message) => {
    expect(() => answerRule(source)).toThrow(ProbeUsageError);
    expect(() => answerRule(source)).toThrow(message);
  });
});
