import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  All,
  type ArgumentsHost,
  type CanActivate,
  Catch,
  Controller,
  type ExceptionFilter,
  HttpException,
  type INestApplication,
  Module,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { BaseExceptionFilter, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { CurrentModule, Lock, lockSignal, type NestLock } from 'current-attributes/nestjs';
import type { Request, Response } from 'express';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdapterUnderTest, Call, ContractApp } from '../contract/contract.js';

export type Platform = 'express' | 'fastify';

/** The listeners each request's `onFinish` registered, run by Fastify's `onResponse` hook. */
const finishListeners = new WeakMap<object, Array<() => void>>();

function expressCall(req: Request, res: Response): Call {
  return {
    path: req.path,
    socket: req.socket,
    header: (name) => req.get(name),
    lockSignal: () => lockSignal(req),
    write: (text) => res.write(text),
    end: (text) => res.end(text),
    onFinish: (listener) => res.on('finish', listener),
    onClose: (listener) => res.on('close', listener),
    stream: (source) => {
      pipeline(Readable.from(source()), res).catch(() => undefined);
    },
  };
}

function fastifyCall(request: FastifyRequest, reply: FastifyReply): Call {
  let stream: PassThrough | undefined;
  return {
    path: request.url.split('?')[0] as string,
    socket: request.raw.socket,
    header: (name) => request.headers[name.toLowerCase()] as string | undefined,
    lockSignal: () => lockSignal(request.raw),
    write: (text) => {
      stream = new PassThrough();
      reply.send(stream);
      stream.write(text);
    },
    end: (text) => {
      if (stream === undefined) reply.send(text);
      else stream.end(text);
    },
    onFinish: (listener) => {
      const listeners = finishListeners.get(request) ?? [];
      listeners.push(listener);
      finishListeners.set(request, listeners);
    },
    onClose: (listener) => reply.raw.on('close', listener),
    stream: (source) => {
      reply.send(Readable.from(source()));
    },
  };
}

/** A Nest app that serves `app.route` for every path, on `platform`, with `CurrentModule` and `@Lock`. */
export function nestAdapter(platform: Platform): AdapterUnderTest {
  const callOf = (request: unknown, response: unknown) =>
    platform === 'express'
      ? expressCall(request as Request, response as Response)
      : fastifyCall(request as FastifyRequest, response as FastifyReply);

  return {
    name: `NestJS on ${platform}`,
    endsScopeOfLeftWaiter: platform === 'fastify',
    // On Express, @Lock() takes the Express lock, which learns no handler's end (see the Express adapter).
    knowsHandlerEnd: platform === 'fastify',
    // One global CurrentModule.forRoot per app: nothing mounts the scope a second time.
    mountsScopeOnce: true,
    // A refused request throws LockUnavailableException to Nest's exception filters instead.
    takesOnRejected: false,
    async start({ lock: lockOptions, scope, aroundLock, route, onError }: ContractApp) {
      let lock: NestLock | undefined;
      if (lockOptions !== undefined) {
        const { key, ...options } = lockOptions;
        lock = Lock({
          ...options,
          ...(key === undefined ? {} : { key: (request) => key((request.url ?? '').split('?')[0] as string) }),
        });
      }
      const noLock: MethodDecorator = () => undefined;
      // Guards run before interceptors (the lock): the middleware before the lock, which Nest never resumes.
      const beforeLock: CanActivate = {
        canActivate: async (context) => {
          const http = context.switchToHttp();
          await aroundLock?.before(callOf(http.getRequest(), http.getResponse()));
          return true;
        },
      };

      @Controller()
      class ContractController {
        // Each platform's catch-all route syntax.
        @All(platform === 'express' ? ['/', '*path'] : '*')
        @(aroundLock === undefined ? noLock : UseGuards(beforeLock))
        @(lock ?? noLock)
        async serve(@Req() request: unknown, @Res() response: unknown) {
          await route(callOf(request, response));
        }
      }

      // Nest's own answer for its HTTP exceptions (the lock's 503), the contract's for the rest.
      @Catch()
      class ContractFilter extends BaseExceptionFilter implements ExceptionFilter {
        override catch(error: unknown, host: ArgumentsHost) {
          if (error instanceof HttpException) return super.catch(error, host);
          if (process.env.DEBUG_CONTRACT) console.error(error);
          const http = host.switchToHttp();
          const call = callOf(http.getRequest(), http.getResponse());
          const text = onError?.(error, call) ?? 'failed';
          if (platform === 'express') http.getResponse<Response>().status(500).send(text);
          else http.getResponse<FastifyReply>().code(500).send(text);
        }
      }

      @Module({
        imports: [
          CurrentModule.forRoot({
            ...(scope?.abandonedHoldMs === undefined ? {} : { abandonedHoldMs: scope.abandonedHoldMs }),
            setup: (request) => scope?.setup?.((request.url ?? '').split('?')[0] as string),
          }),
        ],
        controllers: [ContractController],
      })
      class ContractModule {}

      const app: INestApplication =
        platform === 'express'
          ? await NestFactory.create(ContractModule, { logger: false, abortOnError: false })
          : await NestFactory.create(ContractModule, new FastifyAdapter(), { logger: false, abortOnError: false });
      app.useGlobalFilters(new ContractFilter(app.getHttpAdapter()));
      if (platform === 'fastify') {
        app
          .getHttpAdapter()
          .getInstance()
          .addHook('onResponse', async (request: FastifyRequest) => {
            for (const listener of finishListeners.get(request) ?? []) listener();
          });
      }
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as AddressInfo;
      return {
        url: `http://127.0.0.1:${port}`,
        lockStats: () => (lock as NestLock).stats,
        close: async () => {
          app.getHttpServer().closeAllConnections();
          await app.close();
        },
      };
    },
  };
}
