import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLModule, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { defineCurrent } from 'current-attributes';
import { CurrentModule } from 'current-attributes/nestjs';
import { type Barrier, createBarrier } from 'current-attributes/testing';
import DataLoader from 'dataloader';
import { afterEach, describe, expect, test } from 'vitest';

const OPERATIONS = 200;
const FRIENDS = 3;

interface Friend {
  readonly name: string;
  /** Whose operation the batch that loaded this friend ran for. */
  readonly loadedFor: string | undefined;
}

let batches = 0;
function friendLoader() {
  return new DataLoader<number, Friend>(async (keys) => {
    batches += 1;
    return keys.map((key) => ({ name: `friend-${key}`, loadedFor: Current.user }));
  });
}

/** One operation's state; a DataLoader per scope is a field with a default. */
const Current = defineCurrent(
  class {
    user?: string;
    friends = friendLoader();
  },
);

/** The naive loader: one for the process, so a batch mixes operations and runs in the first one's context. */
let sharedLoader = friendLoader();
let useShared = false;
let barrier: Barrier = createBarrier(OPERATIONS);

const typeDefs = /* GraphQL */ `
  type Friend { name: String!, loadedFor: String }
  type User { name: String, friends: [Friend!]! }
  type Query { me: User! }
`;

@Resolver('User')
class UserResolver {
  @Query('me')
  async me() {
    await barrier.arrive(); // every operation resolving at once
    return { name: Current.user };
  }

  @ResolveField('friends')
  friends(@Parent() _user: unknown) {
    const loader = useShared ? sharedLoader : Current.friends;
    return loader.loadMany(Array.from({ length: FRIENDS }, (_, key) => key));
  }
}

function moduleFor(driver: 'apollo' | 'mercurius') {
  const graphql =
    driver === 'apollo'
      ? GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, typeDefs })
      : GraphQLModule.forRoot<MercuriusDriverConfig>({ driver: MercuriusDriver, typeDefs });
  @Module({
    imports: [
      CurrentModule.forRoot({
        setup: (request) => {
          Current.user = request.headers['x-user']?.toString();
        },
      }),
      graphql,
    ],
    providers: [UserResolver],
  })
  class GraphQLAppModule {}
  return GraphQLAppModule;
}

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function run(driver: 'apollo' | 'mercurius') {
  batches = 0;
  barrier = createBarrier(OPERATIONS);
  sharedLoader = friendLoader();
  app =
    driver === 'apollo'
      ? await NestFactory.create(moduleFor(driver), { logger: false, abortOnError: false })
      : await NestFactory.create(moduleFor(driver), new FastifyAdapter(), { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/graphql`;
  const answers = await Promise.all(
    Array.from({ length: OPERATIONS }, async (_, index) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user': `user-${index}` },
        body: JSON.stringify({ query: '{ me { name friends { name loadedFor } } }' }),
      });
      return ((await response.json()) as { data: { me: { name: string; friends: Friend[] } } }).data.me;
    }),
  );
  const wrong = answers.filter(
    (me, index) => me.name !== `user-${index}` || me.friends.some((friend) => friend.loadedFor !== `user-${index}`),
  );
  return { answers, wrong: wrong.length };
}

describe.each(['apollo', 'mercurius'] as const)('GraphQL with the %s driver', (driver) => {
  test(`${OPERATIONS} concurrent operations: each resolver and DataLoader batch reads its own operation’s values`, {
    timeout: 60_000,
  }, async () => {
    useShared = false;
    const { answers, wrong } = await run(driver);
    expect(answers).toHaveLength(OPERATIONS);
    expect(wrong).toBe(0);
    expect(batches).toBe(OPERATIONS); // one batch per operation: its three loads together
  });

  test('a DataLoader shared by all operations batches them together, in one operation’s context', {
    timeout: 60_000,
  }, async () => {
    useShared = true;
    const { wrong } = await run(driver);
    expect(wrong).toBeGreaterThan(OPERATIONS / 2);
    expect(batches).toBeLessThan(OPERATIONS);
  });
});
