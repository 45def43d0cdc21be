import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';

const root = new URL('../', import.meta.url);
const readme = await readFile(new URL('README.md', root), 'utf8');

/** Every TypeScript block of the README, with the file its marker names. */
const blocks = [...readme.matchAll(/(?:<!-- file: (\S+) -->\n)?```ts\n([\s\S]*?)```/g)].map(([, file, code]) => ({
  file,
  code,
}));

describe('README code blocks', () => {
  test('each names the example file it shows', () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.filter(({ file }) => file === undefined).map(({ code }) => code)).toEqual([]);
  });

  test.each(blocks.filter(({ file }) => file !== undefined))(
    '$file matches the file a test runs',
    async ({ file, code }) => {
      expect(code).toBe(await readFile(new URL(file as string, root), 'utf8'));
    },
  );
});
