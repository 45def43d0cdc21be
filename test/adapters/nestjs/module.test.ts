import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import middie from '@fastify/middie';
import {
  type ArgumentsHost,
  type CallHandler,
  Catch,
  Controller,
  type ExceptionFilter,
  type ExecutionContext,
  Get,
  type INestApplication,
  Injectable,
  type MiddlewareConsumer,
  Module,
  type NestInterceptor,
  type NestMiddleware,
  type PipeTransform,
  Query,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { InvalidArgumentError } from 'current-attributes';
import { CurrentModule, type CurrentValues, currentToken, InjectCurrent, Lock } from 'current-attributes/nestjs';
import { createBarrier } from 'current-attributes/testing';
import { map } from 'rxjs';
import { afterEach, describe, expect, test } from 'vitest';
import { Current } from '../../support/fixtures.js';

/** Every stage of Nest's pipeline appends what it reads to the request's tags. */
const seen = (stage: string) => Current.tags.push(`${stage}:${Current.locale}`);

@Injectable()
class TagMiddleware implements NestMiddleware {
  use(_request: unknown, _response: unknown, next: () => void) {
    seen('middleware');
    next();
  }
}

@Injectable()
class TagGuard {
  async canActivate() {
    await new Promise((resolve) => setImmediate(resolve));
    seen('guard');
    return true;
  }
}

@Injectable()
class TagInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler) {
    seen('interceptor');
    return next.handle().pipe(map((body: object) => ({ ...body, after: Current.locale })));
  }
}

@Injectable()
class TagPipe implements PipeTransform {
  transform(value: unknown) {
    seen('pipe');
    return value;
  }
}

@Catch()
class TagFilter implements ExceptionFilter {
  catch(_error: unknown, host: ArgumentsHost) {
    seen('filter');
    const response = host.switchToHttp().getResponse<{ statusCode: number; end?: unknown; send?: unknown }>();
    const body = JSON.stringify({ tags: Current.tags });
    if ('code' in response)
      (response as unknown as { code(n: number): { send(b: string): void } }).code(500).send(body);
    else (response as unknown as { status(n: number): { send(b: string): void } }).status(500).send(body);
  }
}

@Injectable()
class Greeter {
  constructor(@InjectCurrent(Current) private readonly current: CurrentValues<typeof Current>) {}
  greet() {
    return `Hello, ${this.current.user?.name ?? 'nobody'} in ${this.current.locale}`;
  }
}

@Controller()
@UseGuards(TagGuard)
@UseInterceptors(TagInterceptor)
class PipelineController {
  constructor(private readonly greeter: Greeter) {}

  @Get('tags')
  async tags(@Query('barrier', TagPipe) _barrier: string) {
    seen('handler');
    await barrier?.arrive();
    return { tags: Current.tags, requestId: Current.requestId, greeting: this.greeter.greet() };
  }

  @Get('fails')
  @UseFilters(TagFilter)
  fails(@Query('x', TagPipe) _x: string) {
    seen('handler');
    throw new Error('failed');
  }
}

let barrier: ReturnType<typeof createBarrier> | undefined;

@Module({
  imports: [
    CurrentModule.forRoot({
      currents: [Current],
      setup: (request) => {
        Current.locale = String(request.headers['x-locale']);
        Current.requestId = String(request.headers['x-request-id']);
      },
    }),
  ],
  controllers: [PipelineController],
  providers: [Greeter],
})
class PipelineModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(TagMiddleware).forRoutes('*');
  }
}

const STAGES = ['middleware', 'guard', 'interceptor', 'pipe', 'handler'];

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  barrier = undefined;
});

async function listen(created: INestApplication) {
  app = created;
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
}

const apps = {
  'NestFactory.create on express': () => NestFactory.create(PipelineModule, { logger: false, abortOnError: false }),
  // Nest registers middie (its middleware engine) in NestFactory.create, before it builds
  // the modules: with skipMiddie the app registers it after CurrentModule's plugin.
  'NestFactory.create on fastify': async () => {
    const created = await NestFactory.create<NestFastifyApplication>(
      PipelineModule,
      new FastifyAdapter({ skipMiddie: true }),
      { logger: false, abortOnError: false },
    );
    await created.register(middie);
    return created;
  },
  'Test.createTestingModule on express': async () =>
    (await Test.createTestingModule({ imports: [PipelineModule] }).compile()).createNestApplication({
      logger: false,
      abortOnError: false,
    }),
  'Test.createTestingModule on fastify': async () =>
    (await Test.createTestingModule({ imports: [PipelineModule] }).compile()).createNestApplication(
      new FastifyAdapter(),
      { logger: false, abortOnError: false },
    ),
};

describe.each(Object.entries(apps))('CurrentModule with %s', (_name, create) => {
  test('middleware, guards, interceptors, pipes, the handler and DI read each request’s own values', async () => {
    const url = await listen(await create());
    barrier = createBarrier(20);
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, index) => {
        const headers = { 'x-locale': `locale-${index}`, 'x-request-id': `id-${index}` };
        return (await fetch(`${url}/tags?barrier=1`, { headers })).json();
      }),
    );
    answers.forEach((answer, index) => {
      expect(answer).toEqual({
        tags: STAGES.map((stage) => `${stage}:locale-${index}`),
        requestId: `id-${index}`,
        greeting: `Hello, nobody in locale-${index}`,
        after: `locale-${index}`,
      });
    });
  });

  test('an exception filter reads the values of the request that failed', async () => {
    const url = await listen(await create());
    const response = await fetch(`${url}/fails?x=1`, { headers: { 'x-locale': 'fr', 'x-request-id': 'r' } });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ tags: [...STAGES, 'filter'].map((stage) => `${stage}:fr`) });
  });
});

describe('CurrentModule in a unit test', () => {
  test('a service injected with @InjectCurrent takes a plain value under currentToken', async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [Greeter, { provide: currentToken(Current), useValue: { user: { name: 'Ann' }, locale: 'de' } }],
    }).compile();
    expect(moduleRef.get(Greeter).greet()).toBe('Hello, Ann in de');
  });

  test('the same service reads the Current of the test’s own scope when the module provides it', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [CurrentModule.forRoot({ currents: [Current] })],
      providers: [Greeter],
    }).compile();
    const greeter = moduleRef.get(Greeter);
    expect(Current.run(() => Current.set({ locale: 'it' }, () => greeter.greet()))).toBe('Hello, nobody in it');
    expect(Current.run(() => greeter.greet())).toBe('Hello, nobody in en');
  });
});

describe('CurrentModule refuses what would open a second scope or fail per request', () => {
  test('a setup that is not a function fails at forRoot', () => {
    expect(() => CurrentModule.forRoot({ setup: 'nope' as never })).toThrow(InvalidArgumentError);
    expect(() => CurrentModule.forRoot({ currents: [{}] as never })).toThrow(/defineCurrent/);
  });

  test('Lock() refuses an option it would ignore: onRejected (refusals go to exception filters) or a misspelt one', () => {
    expect(() => Lock({ onRejected: () => undefined } as never)).toThrow(/^Unknown option `onRejected` of Lock\(\)/);
    expect(() => Lock({ timeout: 5000 } as never)).toThrow(
      /Unknown option `timeout` of Lock\(\): did you mean `timeoutMs`\?/,
    );
    expect(() => Lock({ key: () => 'k', timeoutMs: 5000, maxQueue: 10 })).not.toThrow();
  });

  test('a second CurrentModule.forRoot in one app fails the app’s start', async () => {
    @Module({ imports: [CurrentModule.forRoot(), CurrentModule.forRoot({ global: false })] })
    class Twice {}
    await expect(async () => {
      app = await NestFactory.create(Twice, { logger: false, abortOnError: false });
      await app.init();
    }).rejects.toThrow(/imported twice/);
  });

  test('forRootAsync takes its setup from a factory with injected providers', async () => {
    const LOCALE = Symbol('locale');
    @Module({ providers: [{ provide: LOCALE, useValue: 'pt' }], exports: [LOCALE] })
    class ConfigModule {}
    @Controller()
    class LocaleController {
      @Get('locale')
      locale() {
        return { locale: Current.locale };
      }
    }
    @Module({
      imports: [
        CurrentModule.forRootAsync({
          imports: [ConfigModule],
          inject: [LOCALE],
          useFactory: (locale: string) => ({
            setup: () => {
              Current.locale = locale;
            },
          }),
        }),
      ],
      controllers: [LocaleController],
    })
    class AsyncModule {}
    const url = await listen(await NestFactory.create(AsyncModule, { logger: false, abortOnError: false }));
    expect(await (await fetch(`${url}/locale`)).json()).toEqual({ locale: 'pt' });
  });
});

describe('CurrentModule on Fastify without skipMiddie', () => {
  test('runs Nest middleware before the scope opens, and guards on in it (the documented limit)', async () => {
    const active: string[] = [];
    @Injectable()
    class ActiveMiddleware implements NestMiddleware {
      use(_request: unknown, _response: unknown, next: () => void) {
        active.push(`middleware:${Current.isActive}`);
        next();
      }
    }
    @Controller()
    class ActiveController {
      @Get('active')
      active() {
        active.push(`handler:${Current.isActive}`);
        return {};
      }
    }
    @Module({ imports: [CurrentModule.forRoot()], controllers: [ActiveController] })
    class ActiveModule {
      configure(consumer: MiddlewareConsumer) {
        consumer.apply(ActiveMiddleware).forRoutes('*');
      }
    }
    const url = await listen(
      await NestFactory.create(ActiveModule, new FastifyAdapter(), { logger: false, abortOnError: false }),
    );
    await fetch(`${url}/active`);
    expect(active).toEqual(['middleware:false', 'handler:true']);
  });
});
