import 'reflect-metadata';
import type { Server } from 'node:http';
import { Controller, type DynamicModule, Get, type INestApplication, Module, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CurrentModule, Lock } from 'current-attributes/nestjs';
import type { Request, RequestHandler } from 'express';
import { ClsModule, ClsServiceManager } from 'nestjs-cls';
import type { Strategy } from '../frameworks.js';
import { contextFor, type FrameworkContexts } from './contexts.js';
import { answer } from './keepers.js';
import { delayOf } from './request.js';

/** How a strategy sets up a Nest app: modules to import, Express middleware to use, a lock on the route. */
interface NestSetup {
  readonly imports?: readonly DynamicModule[];
  readonly use?: RequestHandler;
  readonly lock?: boolean;
}

// Nest on its default platform, Express; each context in the form a Nest user would add it.
const contexts: FrameworkContexts<NestSetup> = {
  name: 'NestJS',
  lock: () => ({ lock: true }),
  current: () => ({ imports: [CurrentModule.forRoot()] }),
  als: (run) => ({ use: (_req, _res, next) => run(next) }),
  peer: () => ({
    before: { imports: [ClsModule.forRoot({ global: true, middleware: { mount: true } })] },
    keeper: {
      write: (user) => ClsServiceManager.getClsService().set('user', user),
      read: () => ClsServiceManager.getClsService().get('user'),
    },
  }),
};

/**
 * The NestJS 12 (Express platform) server of one strategy.
 *
 * @example
 * ```ts
 * (await createNestServer('current')).listen(0, '127.0.0.1');
 * ```
 */
export async function createNestServer(strategy: Strategy): Promise<Server> {
  const { before = {}, keeper } = contextFor(strategy, contexts);
  const lock: MethodDecorator = before.lock ? Lock() : () => undefined;

  @Controller()
  class BenchController {
    @Get()
    @lock
    async serve(@Req() req: Request) {
      return answer(keeper, req.get('x-user'), delayOf(req.url));
    }
  }

  @Module({ imports: [...(before.imports ?? [])], controllers: [BenchController] })
  class BenchModule {}

  const app: INestApplication = await NestFactory.create(BenchModule, { logger: false, abortOnError: false });
  const express = app.getHttpAdapter().getInstance();
  express.disable('etag');
  express.disable('x-powered-by');
  if (before.use) app.use(before.use);
  await app.init();
  return app.getHttpServer();
}
