import type {
  DynamicModule,
  HttpServer,
  InjectionToken,
  ModuleMetadata,
  OptionalFactoryDependency,
} from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import type { AnyCurrent } from '../../core/registry.js';
import { expectFunction, expectPlainObject } from '../../core/validate.js';
import { currentMiddleware } from '../express/current-middleware.js';
import { currentProviders } from './inject.js';
import { loadPlatforms, mountHttpScopes } from './mount.js';
import { common, core } from './peers.js';
import type { HttpScopeOptions, NestHttpRequest } from './scope-options.js';
import { TEST_REQUEST_SETUP, withTestSetup } from './testing.js';

/** Options of `CurrentModule.forRoot`. */
export interface CurrentModuleOptions<Request extends NestHttpRequest = NestHttpRequest>
  extends HttpScopeOptions<Request> {
  /** The `Current`s to provide for injection (`@InjectCurrent(Current)`). Default: none; `Current.user` works without. */
  readonly currents?: readonly AnyCurrent[];
  /** Whether the module's providers are visible to every module. Default `true`. */
  readonly global?: boolean;
}

/** Options of `CurrentModule.forRootAsync`: the scope options come from a factory with injected dependencies. */
export interface CurrentModuleAsyncOptions<Request extends NestHttpRequest = NestHttpRequest>
  extends Pick<ModuleMetadata, 'imports'> {
  readonly useFactory: (...dependencies: never[]) => HttpScopeOptions<Request> | Promise<HttpScopeOptions<Request>>;
  /** The providers `useFactory` gets, in order. */
  readonly inject?: ReadonlyArray<InjectionToken | OptionalFactoryDependency>;
  /** As in `forRoot`. */
  readonly currents?: readonly AnyCurrent[];
  /** As in `forRoot`. Default `true`. */
  readonly global?: boolean;
}

const SCOPE_OPTIONS = Symbol('current-attributes:scope-options');
const HTTP_SCOPES = Symbol('current-attributes:http-scopes');

/**
 * Opens a fresh scope for every HTTP request of a Nest app, on
 * @nestjs/platform-express and @nestjs/platform-fastify, through this
 * library's Express middleware or Fastify plugin. It is mounted when Nest
 * creates its HTTP adapter, before body parsers, Nest middleware and routes:
 * middleware, guards, interceptors, pipes, the handler and exception filters
 * all read the request's values, and the request's end (also a client that
 * hangs up) runs reset callbacks once. One exception: on Fastify,
 * `NestFactory.create` registers Nest's middleware engine (middie) before the
 * modules exist, so Nest middleware runs before the scope unless the adapter
 * is made with `skipMiddie` (docs/nestjs.md).
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [CurrentModule.forRoot({
 *     currents: [Current],
 *     setup: (request) => { Current.requestId = String(request.headers['x-request-id'] ?? Current.requestId); },
 *   })],
 *   controllers: [UsersController],
 * })
 * export class AppModule {}
 * ```
 */
export class CurrentModule {
  constructor(private readonly scopes: HttpScopes) {}

  /** Nest awaits this before it adds routes: the scope must be mounted by then. */
  async configure(): Promise<void> {
    await this.scopes.mounted();
  }

  /**
   * The module with its options given here.
   *
   * @throws {InvalidArgumentError} when an option has the wrong type; at start-up, on a platform other than Express or Fastify.
   */
  static forRoot<Request extends NestHttpRequest = NestHttpRequest>(
    options: CurrentModuleOptions<Request> = {},
  ): DynamicModule {
    expectPlainObject('options', options);
    const { currents = [], global = true, ...scope } = options;
    // Made once to check the options at start-up, as the middleware itself would at mount.
    currentMiddleware(scope as never);
    return moduleWith({ provide: SCOPE_OPTIONS, useValue: scope }, currents, global, []);
  }

  /**
   * The module with its scope options made by `useFactory`, which Nest calls
   * with the providers named in `inject` (a `ConfigService`, for one).
   *
   * @throws {InvalidArgumentError} when an option has the wrong type.
   */
  static forRootAsync<Request extends NestHttpRequest = NestHttpRequest>(
    options: CurrentModuleAsyncOptions<Request>,
  ): DynamicModule {
    expectPlainObject('options', options);
    expectFunction('options.useFactory', options.useFactory);
    const { currents = [], global = true, imports = [], inject = [] } = options;
    const factory = { provide: SCOPE_OPTIONS, useFactory: options.useFactory, inject: [...inject] };
    return moduleWith(factory, currents, global, imports);
  }
}

common.Module({})(CurrentModule);
common.Inject(HTTP_SCOPES)(CurrentModule, undefined, 0);

function moduleWith(
  scopeOptions: object,
  currents: readonly AnyCurrent[],
  global: boolean,
  imports: NonNullable<ModuleMetadata['imports']>,
): DynamicModule {
  const provided = currentProviders(currents);
  return {
    module: CurrentModule,
    global,
    imports,
    providers: [
      scopeOptions as never,
      { provide: TEST_REQUEST_SETUP, useValue: null },
      {
        provide: HTTP_SCOPES,
        useFactory: mountWhenReady,
        inject: [SCOPE_OPTIONS, core.HttpAdapterHost, TEST_REQUEST_SETUP],
      },
      ...provided,
    ],
    exports: provided.map(({ provide }) => provide),
  };
}

/**
 * Mounts the scope once Nest has its HTTP adapter: at once after
 * `NestFactory.create`, or when `createNestApplication()` sets it on a
 * testing module, still before `app.init()`. An app without HTTP (a
 * microservice, an application context) never mounts it.
 */
async function mountWhenReady(
  ownOptions: HttpScopeOptions,
  host: HttpAdapterHost,
  testSetup: Parameters<typeof withTestSetup>[1],
): Promise<HttpScopes> {
  const options = withTestSetup(ownOptions, testSetup);
  const platforms = await loadPlatforms();
  let outcome: { readonly failure: unknown } | { readonly loading: PromiseLike<unknown> | undefined } = {
    loading: undefined,
  };
  host.init$.subscribe(() => {
    // A throw inside the adapter's notification would surface later, from a
    // timer: it fails the app's init instead, where the caller sees it.
    try {
      outcome = { loading: mountHttpScopes(host.httpAdapter as HttpServer, options, platforms) };
    } catch (failure) {
      outcome = { failure };
    }
  });
  return {
    async mounted() {
      if ('failure' in outcome) throw outcome.failure;
      // Awaited here, in `configure`, not when it is registered: a Fastify
      // registration awaited that early, before Nest's own, hung the next app's `listen`.
      await outcome.loading;
    },
  };
}

/** The state of the HTTP mount, which the module awaits before Nest adds routes. */
interface HttpScopes {
  mounted(): Promise<unknown>;
}
