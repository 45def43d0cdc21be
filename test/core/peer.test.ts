import { CurrentAttributesError, MissingPeerDependencyError } from 'current-attributes';
import { describe, expect, test } from 'vitest';
import { importPeer, requirePeer } from '../../src/core/peer.js';

// A name no registry package has, so it is never installed here.
const ABSENT = 'current-attributes-absent-peer';
const need = { packageName: ABSENT, neededBy: '`someHelper` from current-attributes/testing', dev: true };

describe('loading an optional peer dependency', () => {
  test.each([
    ['importPeer', () => importPeer(ABSENT, need)],
    ['requirePeer', async () => requirePeer(ABSENT, need)],
  ])(
    '%s of one that is not installed throws MissingPeerDependencyError naming it and its install command',
    async (_, load) => {
      const error = await load().catch((caught: unknown) => caught);
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
      expect((error as Error).cause).toMatchObject({ code: expect.stringMatching(/MODULE_NOT_FOUND$/) });
    },
  );

  test('names the package of a missing subpath, without the subpath', () => {
    expect(() => requirePeer(`${ABSENT}/utils/response`, { packageName: ABSENT, neededBy: 'x' })).toThrow(
      'Install it: `npm install current-attributes-absent-peer`',
    );
  });

  test('passes on any other failure as it is, such as a missing module the peer itself needs', () => {
    // The peer is there; what is missing is another package, which installing the peer would not fix.
    expect(() => requirePeer('node:no-such-builtin', need)).toThrow(
      expect.objectContaining({ code: 'ERR_UNKNOWN_BUILTIN_MODULE' }),
    );
    const otherMissing = { packageName: 'ioredis', neededBy: 'x' };
    expect(() => requirePeer(ABSENT, otherMissing)).toThrow(expect.objectContaining({ code: 'MODULE_NOT_FOUND' }));
    expect(() => requirePeer(ABSENT, otherMissing)).not.toThrow(MissingPeerDependencyError);
  });

  test('returns the module when it is installed', async () => {
    expect(requirePeer<{ Mutex: unknown }>('redis-semaphore', need).Mutex).toBeTypeOf('function');
    expect((await importPeer<{ default: unknown }>('autocannon', need)).default).toBeTypeOf('function');
  });
});
