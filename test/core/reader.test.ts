import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect } from 'vitest';
import { testUnless } from '../runtimes/differences.js';

const run = promisify(execFile);

describe('attribute readers', () => {
  testUnless('deno-node-cli-child')('read the same values where code generation from strings is disabled', async () => {
    const fixtures = new URL('../support/fixtures.ts', import.meta.url).href;
    const script = `
      const { Current, alice } = await import(${JSON.stringify(fixtures)});
      const outside = Current.locale;
      const inside = Current.run(() => { Current.user = alice; return [Current.user.name, Current.account, Current.isAdmin]; });
      console.log(JSON.stringify({ outside, inside }));
    `;
    const { stdout } = await run(process.execPath, [
      '--disallow-code-generation-from-strings',
      '--import',
      'tsx',
      '--input-type=module',
      '--eval',
      script,
    ]);
    expect(JSON.parse(stdout)).toEqual({ outside: 'en', inside: ['Alice', 'acme', true] });
  });
});
