import 'reflect-metadata';
import { Controller, Get, Headers, type INestApplication, Injectable, Module } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { InvalidArgumentError, ScopeMissingError } from 'current-attributes';
import {
  CurrentModule,
  type CurrentValues,
  InjectCurrent,
  overrideRequestSetup,
  UseCurrent,
} from 'current-attributes/nestjs';
import { type Barrier, createBarrier, withCurrent } from 'current-attributes/testing';
import request from 'supertest';
import { afterEach, describe, expect, test } from 'vitest';
import { alice, bob, Current, type User } from '../../support/fixtures.js';

@Injectable()
class Greeter {
  constructor(@InjectCurrent(Current) private readonly current: CurrentValues<typeof Current>) {}
  greet() {
    return `Hello, ${this.current.user?.name ?? 'stranger'} (${Current.requestId})`;
  }
}

@Injectable()
class NightlyReport {
  @UseCurrent({
    setup: (owner: User) => {
      Current.user = owner;
    },
  })
  async run(_owner: User) {
    await new Promise((resolve) => setImmediate(resolve));
    return `report for ${Current.user?.name}`;
  }
}

let barrier: Barrier | undefined;

@Controller()
class MeController {
  constructor(private readonly greeter: Greeter) {}

  @Get('me')
  async me(@Headers('x-wait') wait?: string) {
    if (wait !== undefined) await barrier?.arrive(); // every request in flight at once
    return { user: Current.user?.name ?? null, requestId: Current.requestId, greeting: this.greeter.greet() };
  }
}

/** The app under test: its own setup reads the request id; sign-in is not its business in tests. */
@Module({
  imports: [
    CurrentModule.forRoot({
      currents: [Current],
      setup: async (request) => {
        await new Promise((resolve) => setImmediate(resolve)); // an async setup, as with a real lookup
        Current.requestId = request.headers['x-request-id']?.toString() ?? Current.requestId;
      },
    }),
  ],
  controllers: [MeController],
  providers: [Greeter],
})
class AppModule {}

const users: Record<string, User> = { alice, bob };

describe('withCurrent: a provider from a testing module, run in a scope with chosen values', () => {
  test('a provider injected with the module’s Current reads the values the test chose, and only inside', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const greeter = moduleRef.get(Greeter);
    const resets: Array<string | undefined> = [];
    const remove = Current.beforeReset(() => resets.push(Current.user?.name));
    try {
      const greeting = await withCurrent(Current, { user: alice, requestId: 'test-1' }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return greeter.greet();
      });
      expect(greeting).toBe('Hello, Alice (test-1)');
      expect(resets).toEqual(['Alice']); // the scope ended once, with the reset callbacks
      expect(Current.isActive).toBe(false);
      // Outside any scope the same call has nothing to read from: it is the test helper that gives it one.
      expect(() => {
        Current.user = alice;
      }).toThrow(ScopeMissingError);
    } finally {
      remove();
    }
  });

  test('calls running at once each keep their own values', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const greeter = moduleRef.get(Greeter);
    const together = createBarrier(2);
    const greetings = await Promise.all(
      [alice, bob].map((user, index) =>
        withCurrent(Current, { user, requestId: `r${index}` }, async () => {
          await together.arrive();
          return greeter.greet();
        }),
      ),
    );
    expect(greetings).toEqual(['Hello, Alice (r0)', 'Hello, Bob (r1)']);
  });

  test('refuses what is not a Current, values that are not an object, and a missing function', async () => {
    await expect(withCurrent({} as never, {}, () => 1)).rejects.toThrow(InvalidArgumentError);
    await expect(withCurrent(Current, 'alice' as never, () => 1)).rejects.toThrow(/`values`/);
    await expect(withCurrent(Current, {}, undefined as never)).rejects.toThrow(/`fn`/);
    await expect(withCurrent(Current, { usr: alice } as never, () => 1)).rejects.toThrow(/usr/);
  });

  test('@UseCurrent works on a compiled module that was never init()ed (nestjs-cls #374)', async () => {
    const moduleRef = await Test.createTestingModule({ providers: [NightlyReport] }).compile();
    expect(await moduleRef.get(NightlyReport).run(bob)).toBe('report for Bob');
  });
});

type Make = (builder: TestingModuleBuilder) => Promise<INestApplication>;

const platforms: Record<string, Make> = {
  express: async (builder) =>
    (await builder.compile()).createNestApplication({ logger: false, abortOnError: false }).init(),
  fastify: async (builder) => {
    const app = (await builder.compile()).createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: false,
      abortOnError: false,
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  },
};

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  barrier = undefined;
});

describe.each(Object.entries(platforms))('overrideRequestSetup on %s', (_platform, make) => {
  test('requests get the values the running test chose, after the app’s own setup', async () => {
    let signedIn: User | undefined = alice;
    app = await make(
      overrideRequestSetup(Test.createTestingModule({ imports: [AppModule] }), () => {
        Current.user = signedIn;
      }),
    );
    const server = app.getHttpServer();
    await request(server)
      .get('/me')
      .set('x-request-id', 'from-header') // the app's setup still runs
      .expect(200, { user: 'Alice', requestId: 'from-header', greeting: 'Hello, Alice (from-header)' });
    signedIn = bob;
    await request(server).get('/me').set('x-request-id', 'second').expect(200, {
      user: 'Bob',
      requestId: 'second',
      greeting: 'Hello, Bob (second)',
    });
  });

  test('requests in flight at once each keep the values their own setup gave them', async () => {
    app = await make(
      overrideRequestSetup(Test.createTestingModule({ imports: [AppModule] }), (request) => {
        Current.user = users[String(request.headers['x-test-user'])];
      }),
    );
    const server = app.getHttpServer();
    const count = 30;
    barrier = createBarrier(count);
    const answers = await Promise.all(
      Array.from({ length: count }, (_, index) => {
        const name = index % 2 === 0 ? 'alice' : 'bob';
        return request(server)
          .get('/me')
          .set({ 'x-test-user': name, 'x-request-id': `r${index}`, 'x-wait': '1' })
          .then((response) => ({ name, index, body: response.body }));
      }),
    );
    for (const { name, index, body } of answers) {
      const user = users[name]?.name;
      expect(body).toEqual({ user, requestId: `r${index}`, greeting: `Hello, ${user} (r${index})` });
    }
  });

  test('without the override the same app signs nobody in', async () => {
    app = await make(Test.createTestingModule({ imports: [AppModule] }));
    await request(app.getHttpServer()).get('/me').set('x-request-id', 'plain').expect(200, {
      user: null,
      requestId: 'plain',
      greeting: 'Hello, stranger (plain)',
    });
  });
});

test('overrideRequestSetup refuses a setup that is not a function', () => {
  expect(() => overrideRequestSetup(Test.createTestingModule({}), 'alice' as never)).toThrow(InvalidArgumentError);
});
