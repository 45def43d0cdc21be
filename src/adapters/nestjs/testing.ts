import { isPromiseLike } from '../../core/scope.js';
import { expectFunction } from '../../core/validate.js';
import type { HttpScopeOptions, NestHttpRequest } from './scope-options.js';

/**
 * The DI token of a setup a test adds to `CurrentModule`'s: `null` in an
 * app, a function once `overrideRequestSetup` replaced it in a testing module.
 */
export const TEST_REQUEST_SETUP = Symbol('current-attributes:test-request-setup');

type RequestSetup<Request extends NestHttpRequest> = NonNullable<HttpScopeOptions<Request>['setup']>;

/** The part of @nestjs/testing's `TestingModuleBuilder` that overrides a provider. */
export interface ProviderOverriding<Builder> {
  overrideProvider(token: symbol): { useValue(value: unknown): Builder };
}

/**
 * Adds a setup that runs in every request's scope of the app built from a
 * Nest testing module, right after `CurrentModule`'s own `setup` and before
 * Nest middleware, guards and the handler: the place where an e2e test
 * (supertest, Fastify's `inject`) sets the values its requests should have,
 * such as a signed-in user, without the real sign-in. Each request still
 * gets its own scope, so requests in flight at once keep their own values;
 * `setup` reads whatever the running test chose (a variable the test sets,
 * a header it sends). Returns the builder, for the next override.
 *
 * `CurrentModule.forRoot()` or `forRootAsync()` must be among the modules;
 * the app's own providers and module stay as they are.
 *
 * @throws {InvalidArgumentError} when `setup` is not a function.
 * @example
 * ```ts
 * let signedIn: User | undefined;
 * const moduleRef = await overrideRequestSetup(Test.createTestingModule({ imports: [AppModule] }), () => {
 *   Current.user = signedIn;
 * }).compile();
 * const app = await moduleRef.createNestApplication().init();
 *
 * test('shows the signed-in user', async () => {
 *   signedIn = alice;
 *   await request(app.getHttpServer()).get('/me').expect({ user: 'Alice' });
 * });
 * ```
 */
export function overrideRequestSetup<Builder, Request extends NestHttpRequest = NestHttpRequest>(
  builder: ProviderOverriding<Builder>,
  setup: RequestSetup<Request>,
): Builder {
  expectFunction('setup', setup);
  return builder.overrideProvider(TEST_REQUEST_SETUP).useValue(setup);
}

/** `options` with the test's setup, if there is one, run after the app's own. */
export function withTestSetup(
  options: HttpScopeOptions,
  testSetup: RequestSetup<NestHttpRequest> | null,
): HttpScopeOptions {
  if (testSetup === null) return options;
  const own = options.setup;
  if (own === undefined) return { ...options, setup: testSetup };
  return {
    ...options,
    setup: (request, response) => {
      const pending = own(request, response);
      return isPromiseLike(pending)
        ? Promise.resolve(pending).then(() => testSetup(request, response))
        : testSetup(request, response);
    },
  };
}
