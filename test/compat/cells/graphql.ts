import type { Server } from 'node:http';
import { perRequest } from 'current-attributes';
import { withCurrent } from 'current-attributes/http';
import DataLoader from 'dataloader';
import { createSchema, createYoga } from 'graphql-yoga';
import { type Hooks, libraryRows } from '../harness/cell.js';
import { requestIdOf, setRequestId } from '../harness/http-transport.js';
import { ProbeBoard } from '../harness/probes.js';

/** How the resolver loads: directly, through a loader made at start-up, or through one per request. */
type Loading = 'direct' | 'shared-loader' | 'loader-per-request';

/**
 * graphql-yoga on the node:http adapter: `{ user }` resolves to the request's
 * number; the resolver reads Current, meets the other requests, loads, and
 * reads again. With a loader, its batch function reads Current for each key.
 */
function graphqlCell(loading: Loading) {
  const board = new ProbeBoard();
  const batch = async (keys: readonly number[]) => {
    for (const key of keys) board.readFor(key);
    return keys;
  };
  const shared = new DataLoader(batch, { cache: false });
  const loader = loading === 'loader-per-request' ? perRequest(() => new DataLoader(batch)) : () => shared;
  return {
    start: () => ({}),
    stop: () => undefined,
    transport: {
      attach(_shared: object, server: Server, hooks: Hooks) {
        const schema = createSchema<{ request: Request }>({
          typeDefs: 'type Query { user: Int }',
          resolvers: {
            Query: {
              user: async (_parent, _args, context) => {
                const probe = hooks.probe(requestIdOf(new URL(context.request.url).search));
                board.enter(probe);
                probe.read();
                await hooks.together(probe.id);
                const user = loading === 'direct' ? probe.id : await loader().load(probe.id);
                probe.read();
                await hooks.done(probe.id);
                return user;
              },
            },
          },
        });
        const yoga = createYoga({ schema, logging: false, maskedErrors: false });
        server.on('request', withCurrent(yoga, { setup: setRequestId }));
      },
      async send(_shared: object, url: string, id: number) {
        const response = await fetch(`${url}/graphql?id=${id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ user }' }),
        });
        const body = (await response.json()) as { data?: { user?: number }; errors?: unknown };
        if (body.data?.user !== id) throw new Error(`request ${id} got ${JSON.stringify(body)}`);
      },
    },
  };
}

export const rows = libraryRows('graphql-yoga', 'graphql-yoga', [
  { key: 'resolver', mode: 'resolvers, on the node:http adapter', asIs: graphqlCell('direct') },
  {
    key: 'dataloader',
    mode: 'resolvers loading through a DataLoader made at start-up',
    asIs: graphqlCell('shared-loader'),
    fixed: {
      fix: 'const loader = perRequest(() => new DataLoader(batch))',
      cell: graphqlCell('loader-per-request'),
    },
  },
]);
