import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';

/** The example app on Express (Nest's default) or Fastify. */
export async function createApp(platform: 'express' | 'fastify' = 'express') {
  return platform === 'express'
    ? await NestFactory.create(AppModule, { logger: false, abortOnError: false })
    : await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false, abortOnError: false });
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const app = await createApp(process.env.PLATFORM === 'fastify' ? 'fastify' : 'express');
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  console.log(`Try: curl -H 'authorization: token-ann' http://127.0.0.1:${port}/me`);
}
