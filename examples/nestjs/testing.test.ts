import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CurrentModule, overrideRequestSetup } from 'current-attributes/nestjs';
import { withCurrent } from 'current-attributes/testing';
import request from 'supertest';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Current } from '../usage/current.js';
import { AppModule, Greeter } from './app.module.js';

test('a provider reads the values the test runs it with', async () => {
  const moduleRef = await Test.createTestingModule({
    imports: [CurrentModule.forRoot({ currents: [Current] })],
    providers: [Greeter],
  }).compile();
  const ann = { name: 'Ann', account: 'acme', role: 'admin' } as const;
  const greeting = await withCurrent(Current, { user: ann }, () => moduleRef.get(Greeter).greet());
  expect(greeting).toBe('Hello, Ann (admin)');
});

// End to end: every request the app gets carries the id of the test that sent it.
let testName = '';
let app: INestApplication;
beforeAll(async () => {
  const moduleRef = await overrideRequestSetup(Test.createTestingModule({ imports: [AppModule] }), () => {
    Current.requestId = testName;
  }).compile();
  app = await moduleRef.createNestApplication({ logger: false }).init();
});
afterAll(() => app.close());

test('requests carry the values the running test chose', async () => {
  testName = 'e2e: me';
  const response = await request(app.getHttpServer()).get('/me').set('authorization', 'token-bob').expect(200);
  expect(response.body).toMatchObject({ user: 'Bob', requestId: 'e2e: me' });
});
