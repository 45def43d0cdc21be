import { PassThrough, Readable } from 'node:stream';
import {
  type FastifyLock,
  type FastifyLockOptions,
  fastifyCurrent,
  globalLock,
  keyedLock,
  lockSignal,
} from 'current-attributes/fastify';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { listen } from '../../support/listen.js';
import { type AdapterUnderTest, type Call, describeContract, type Rejection } from './contract.js';
import { describeKeepAliveContract } from './keep-alive.js';

/** The listeners each request's `onFinish` registered, run by the app's `onResponse` hook. */
const finishListeners = new WeakMap<FastifyRequest, Array<() => void>>();

function callOf(request: FastifyRequest, reply: FastifyReply): Call {
  let stream: PassThrough | undefined;
  return {
    path: request.url.split('?')[0] as string,
    socket: request.raw.socket,
    header: (name) => request.headers[name.toLowerCase()] as string | undefined,
    // Fastify streams a body it was given as a stream: the status and first chunk go out at once.
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
    lockSignal: () => lockSignal(request.raw),
    stream: (source) => {
      reply.send(Readable.from(source()));
    },
  };
}

/** `onRejected` in Fastify's idiom: answer with `reply`, or return the payload as a route handler does. */
function onRejectedFor(rejection: Rejection | undefined): FastifyLockOptions['onRejected'] {
  switch (rejection) {
    case undefined:
      return undefined;
    case 'throws':
      return (error) => {
        throw new Error(`rethrown ${error.name}`);
      };
    case 'rejects':
      return async (error) => {
        throw new Error(`rethrown ${error.name}`);
      };
    case 'answers-nothing':
      return async () => undefined;
    case 'sets-status':
      return (_error, _request, reply) => {
        reply.code(429);
      };
  }
}

const fastifyAdapter: AdapterUnderTest = {
  name: 'Fastify',
  endsScopeOfLeftWaiter: true,
  refusesSecondMount: true,
  async start({ lock: lockOptions, scope, aroundLock, route, onError }) {
    const { mountedTwice: _twice, setup, ...scopeOptions } = scope ?? {};
    const app = Fastify();
    await app.register(fastifyCurrent, { ...scopeOptions, setup: (request) => setup?.(request.url) });
    app.addHook('onResponse', async (request) => {
      for (const listener of finishListeners.get(request) ?? []) listener();
    });
    app.setErrorHandler((error, request, reply) => {
      reply.code(500).send(onError?.(error, callOf(request, reply)) ?? 'failed');
    });
    let lock: FastifyLock | undefined;
    if (lockOptions !== undefined) {
      const { key, onRejected, ...options } = lockOptions;
      const rejected = onRejectedFor(onRejected);
      const withRejected = rejected === undefined ? options : { ...options, onRejected: rejected };
      lock =
        key === undefined
          ? globalLock(withRejected)
          : keyedLock({ ...withRejected, key: (request) => key(request.url) });
    }
    const before =
      aroundLock && (async (request: FastifyRequest, reply: FastifyReply) => aroundLock.before(callOf(request, reply)));
    const preHandler = [...(before === undefined ? [] : [before]), ...(lock === undefined ? [] : [lock])];
    app.route({
      method: 'GET',
      url: '*',
      preHandler,
      handler: async (request, reply) => {
        await route(callOf(request, reply));
        return reply;
      },
    });
    await app.ready();
    const server = await listen((req, res) => app.routing(req, res));
    return {
      url: server.url,
      close: async () => {
        await server.close();
        await app.close();
      },
      lockStats: () => (lock as FastifyLock).stats,
    };
  },
};

describeContract(fastifyAdapter);
describeKeepAliveContract(fastifyAdapter);
