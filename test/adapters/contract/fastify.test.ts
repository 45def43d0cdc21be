import { PassThrough } from 'node:stream';
import { type FastifyLock, fastifyCurrent, globalLock, keyedLock } from 'current-attributes/fastify';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { listen } from '../../support/listen.js';
import { type AdapterUnderTest, type Call, describeContract } from './contract.js';

/** The listeners each request's `onFinish` registered, run by the app's `onResponse` hook. */
const finishListeners = new WeakMap<FastifyRequest, Array<() => void>>();

function callOf(request: FastifyRequest, reply: FastifyReply): Call {
  let stream: PassThrough | undefined;
  return {
    path: request.url.split('?')[0] as string,
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
  };
}

const fastifyAdapter: AdapterUnderTest = {
  name: 'Fastify',
  endsScopeOfLeftWaiter: true,
  async start({ lock: lockOptions, scope, route, onError }) {
    const app = Fastify();
    await app.register(fastifyCurrent, { ...scope, setup: (request) => scope?.setup?.(request.url) });
    app.addHook('onResponse', async (request) => {
      for (const listener of finishListeners.get(request) ?? []) listener();
    });
    app.setErrorHandler((error, request, reply) => {
      reply.code(500).send(onError?.(error, callOf(request, reply)) ?? 'failed');
    });
    let lock: FastifyLock | undefined;
    if (lockOptions !== undefined) {
      const { key, ...options } = lockOptions;
      lock = key === undefined ? globalLock(options) : keyedLock({ ...options, key: (request) => key(request.url) });
    }
    app.route({
      method: 'GET',
      url: '*',
      ...(lock === undefined ? {} : { preHandler: lock }),
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
