import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';

const root = new URL('../', import.meta.url);
const pages = [
  'README.md',
  ...(await readdir(new URL('docs/', root), { recursive: true }))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Every TypeScript and JavaScript block of a page, with the example file its marker names. */
const blocks = (
  await Promise.all(
    pages.map(async (page) => {
      const text = await readFile(new URL(page, root), 'utf8');
      return [...text.matchAll(/(?:<!-- file: (\S+) -->\n)?```(?:ts|js)\n([\s\S]*?)```/g)].map(([, file, code]) => ({
        page,
        file,
        code,
      }));
    }),
  )
).flat();

describe('code blocks of the README and docs/', () => {
  test('each names the example file it shows', () => {
    expect(blocks.filter(({ page }) => page === 'README.md').length).toBeGreaterThan(0);
    expect(blocks.filter(({ file }) => file === undefined).map(({ page, code }) => `${page}:\n${code}`)).toEqual([]);
  });

  test.each(blocks.filter(({ file }) => file !== undefined))(
    '$page shows $file exactly as the file is',
    async ({ file, code }) => {
      expect(code).toBe(await readFile(new URL(file as string, root), 'utf8'));
    },
  );
});
