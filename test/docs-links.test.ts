import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));

async function markdownUnder(folder: string): Promise<string[]> {
  const entries = await readdir(path.join(root, folder), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const child = `${folder}/${entry.name}`;
      if (entry.isDirectory()) return markdownUnder(child);
      return Promise.resolve(entry.name.endsWith('.md') ? [child] : []);
    }),
  );
  return nested.flat();
}

const pages = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', ...(await markdownUnder('docs'))];

/** A page's text without its fenced code blocks, where a `#` line is no heading. */
const withoutFences = (text: string) => text.replace(/^```[\s\S]*?^```/gm, '');
/** Without inline code either, where brackets are no link. */
const prose = (text: string) => withoutFences(text).replace(/`[^`\n]*`/g, '');

/** GitHub's anchor of each heading: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, heading] of withoutFences(text).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = (heading as string)
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    let anchor = slug;
    for (let repeat = 1; anchors.has(anchor); repeat += 1) anchor = `${slug}-${repeat}`;
    anchors.add(anchor);
  }
  return anchors;
}

/** Every relative link and image of every page, and where it points. */
const links = (
  await Promise.all(
    pages.map(async (page) => {
      const text = await readFile(path.join(root, page), 'utf8');
      return [...prose(text).matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].flatMap(([, target]) =>
        /^[a-z]+:/i.test(target as string) ? [] : [{ page, target: target as string }],
      );
    }),
  )
).flat();

describe('links of the README, CONTRIBUTING, the changelog and docs/', () => {
  test('are there to check', () => {
    expect(pages).toContain('docs/benchmarks/cost.md');
    expect(links.length).toBeGreaterThan(50);
  });

  test.each(links)('$page links to $target, which exists', async ({ page, target }) => {
    const [file = '', anchor] = target.split('#');
    const resolved = file === '' ? page : path.posix.join(path.posix.dirname(page), file);
    expect(existsSync(path.join(root, resolved)), `${resolved} does not exist`).toBe(true);
    if (anchor === undefined || !resolved.endsWith('.md')) return;
    expect([...anchorsOf(await readFile(path.join(root, resolved), 'utf8'))]).toContain(anchor);
  });
});

describe('the anchors of a page', () => {
  test('are GitHub’s: lower case, punctuation dropped, spaces as dashes, a repeated heading numbered', () => {
    const text =
      '# Cost per request: instructions\n## `npm test` on Node 24\n## Run it\n## Run it\n```sh\n# not a heading\n```\n';
    expect([...anchorsOf(text)]).toEqual([
      'cost-per-request-instructions',
      'npm-test-on-node-24',
      'run-it',
      'run-it-1',
    ]);
  });
});
