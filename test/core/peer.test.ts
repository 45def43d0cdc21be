import { CurrentAttributesError, MissingPeerDependencyError } from 'current-attributes';
import { describe, expect, test } from 'vitest';
import { importPeer } from '../../src/core/peer.js';

// A name no registry package has, so it is never installed here.
const ABSENT = 'current-attributes-absent-peer';
const need = { packageName: ABSENT, neededBy: '`someHelper` from current-attributes/testing', dev: true };

describe('loading an optional peer dependency', () => {
  test('of one that is not installed throws MissingPeerDependencyError naming it and its install command', async () => {
    const error = await importPeer(() => import(ABSENT), need).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MissingPeerDependencyError);
    expect(error).toBeInstanceOf(CurrentAttributesError);
    expect(error).toMatchObject({
      packageName: ABSENT,
      installCommand: `npm install --save-dev ${ABSENT}`,
      message:
        `\`someHelper\` from current-attributes/testing needs \`${ABSENT}\`, an optional peer dependency of ` +
        `current-attributes that is not installed. Install it: \`npm install --save-dev ${ABSENT}\` ` +
        "(or your package manager's equivalent).",
    });
    expect((error as Error).cause).toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
  });

  test('names the package of a missing subpath, without the subpath', async () => {
    const subpath = `${ABSENT}/utils/response`;
    await expect(importPeer(() => import(subpath), { packageName: ABSENT, neededBy: 'x' })).rejects.toThrow(
      'Install it: `npm install current-attributes-absent-peer`',
    );
  });

  test('passes on any other failure as it is, such as a missing module the peer itself needs', async () => {
    // The peer is there; what is missing is another package, which installing the peer would not fix.
    const otherMissing = { packageName: 'ioredis', neededBy: 'x' };
    const error = await importPeer(() => import(ABSENT), otherMissing).catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(MissingPeerDependencyError);
    expect(error).toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
    const broken = new TypeError('the peer failed while loading');
    await expect(importPeer(() => Promise.reject(broken), need)).rejects.toBe(broken);
  });

  test('returns the module when it is installed', async () => {
    expect((await importPeer(() => import('redis-semaphore'), need)).Mutex).toBeTypeOf('function');
    expect((await importPeer(() => import('autocannon'), need)).default).toBeTypeOf('function');
  });
});
