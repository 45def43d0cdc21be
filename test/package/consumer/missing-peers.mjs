// Run in an app where the packed library is installed without the optional
// peer named on the command line (`node missing-peers.mjs autocannon`): the
// function that needs it throws MissingPeerDependencyError naming it and the
// command that installs it, and nothing needs it sooner. Prints the message;
// exits 1 with what went wrong otherwise. Used by test/package/packed.test.ts
// and .ci/check-packed-install.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const [peer] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const { MissingPeerDependencyError } = await import('current-attributes');

assert.throws(() => require.resolve(peer), { code: 'MODULE_NOT_FOUND' }, `${peer} must not be installed here`);

/** Asserts that `error` names `peer` and how to install it, and prints its message. */
function expectMissing(error, install) {
  assert.ok(error instanceof MissingPeerDependencyError, `expected MissingPeerDependencyError, got ${error?.stack}`);
  assert.equal(error.packageName, peer);
  assert.equal(error.installCommand, install);
  assert.ok(error.message.includes(`\`${install}\``), error.message);
  console.log(error.message);
  return true;
}

const checks = {
  async autocannon() {
    const { loadAndVerify } = await import('current-attributes/testing');
    const load = loadAndVerify({
      url: 'http://127.0.0.1:9',
      amount: 1,
      connections: 1,
      request: () => ({ expected: '' }),
    });
    await assert.rejects(load, (error) => expectMissing(error, 'npm install --save-dev autocannon'));
  },
  async 'fast-check'() {
    const { exploreSchedules } = await import('current-attributes/testing');
    await assert.rejects(
      exploreSchedules(async () => {}),
      (error) => expectMissing(error, 'npm install --save-dev fast-check'),
    );
  },
  async 'redis-semaphore'() {
    const { KeyedMutex } = await import('current-attributes/lock');
    const { redisBackend } = await import('current-attributes/lock/redis');
    const { Redis } = await import('ioredis');
    const client = new Redis({ lazyConnect: true });
    // Made without it; the first acquisition needs it, and says so rather than "backend unavailable".
    const locks = new KeyedMutex({ backend: redisBackend({ client }) });
    await assert.rejects(
      locks.withLock('report', () => 'never'),
      (error) => expectMissing(error, 'npm install redis-semaphore'),
    );
    client.disconnect();
  },
  // Importing the subpath works; the trace ids need the API, and say so at the first call.
  async '@opentelemetry/api'() {
    const { currentTraceIds, withTraceIds, MissingPeerError } = await import('current-attributes/otel');
    assert.throws(currentTraceIds, (error) => {
      assert.ok(error instanceof MissingPeerError, `expected MissingPeerError, got ${error?.stack}`);
      return expectMissing(error, 'npm install @opentelemetry/api');
    });
    assert.throws(
      () => withTraceIds(() => ({})),
      (error) => error instanceof MissingPeerDependencyError && error.packageName === peer,
    );
  },
  // Hono runs on every runtime: without the Node server, the adapter and its locks follow web-standard requests.
  async '@hono/node-server'() {
    const { Hono } = await import('hono');
    const { currentMiddleware, globalLock } = await import('current-attributes/hono');
    const app = new Hono();
    app.use(currentMiddleware(), globalLock());
    app.get('/', (c) => c.text('served'));
    const answer = await app.request('/');
    assert.equal(await answer.text(), 'served');
    console.log('current-attributes/hono serves app.request() without @hono/node-server.');
  },
  // Nest's decorators run as its classes are defined: the subpath needs its peers when it is imported.
  async '@nestjs/common'() {
    await assert.rejects(import('current-attributes/nestjs'), (error) => {
      assert.equal(error.name, 'NestPeerMissingError');
      return expectMissing(error, 'npm install @nestjs/common @nestjs/core rxjs reflect-metadata');
    });
  },
  // Not a peer any more: the plugin applies to the whole app without it.
  async 'fastify-plugin'() {
    const { defineCurrent } = await import('current-attributes');
    const { fastifyCurrent } = await import('current-attributes/fastify');
    const { default: Fastify } = await import('fastify');
    const Current = defineCurrent(
      class {
        user = 'nobody';
      },
    );
    const app = Fastify();
    await app.register(fastifyCurrent, {
      setup: (request) => {
        Current.user = request.headers['x-user'];
      },
    });
    // A route of a child context: it sees the scope only if the plugin's hooks are app-wide.
    await app.register(async (child) => child.get('/me', async () => ({ user: Current.user })));
    const answer = await app.inject({ url: '/me', headers: { 'x-user': 'ann' } });
    assert.deepEqual(answer.json(), { user: 'ann' });
    await app.close();
    console.log('fastifyCurrent applies to the whole app without fastify-plugin.');
  },
};

const check = checks[peer];
if (check === undefined) throw new Error(`No check for ${peer}: one of ${Object.keys(checks).join(', ')}.`);
await check();
