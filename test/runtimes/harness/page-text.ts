/** The page's fixed prose before the measured tables. */
export const ABOUT = `One request never sees another's data, and a lock never lets two holders in or hangs: this page measures that promise on each JavaScript runtime the library claims, from one run of \`npm run runtimes\` (CI runs it in \`.ci/runtimes\`). Bun (\`@oven/bun-linux-x64\`), Deno (\`@deno/linux-x64-glibc\`) and workerd (\`@cloudflare/workerd-linux-64\`, the runtime of Cloudflare Workers) are installed from the npm registry at the versions pinned in \`bench/runtimes.ts\`; Node is the one that runs the suite. Node 22, 24 and 26 are measured by the test suite and the [compatibility matrix](compatibility.md).

What each runtime is used for:

- **Node 20 and later**: everything, on every adapter.
- **Bun** and **Deno**: the core (\`defineCurrent\`, \`run\`, \`set\`, \`bind\`, \`snapshot\`, \`serializeContext\`/\`restoreContext\`), the in-process locks, and Hono on the runtime's own server (\`Bun.serve\`/\`Deno.serve\` with \`app.fetch\`, no \`@hono/node-server\`); node:http, Express, Koa and Fastify as far as the runtime's Node compatibility serves them (the apps table says which).
- **Cloudflare Workers (workerd)**: Hono with \`current-attributes/hono\`, as a Worker with \`nodejs_compat\` (bundled by esbuild as wrangler does), one isolate. Locks hold within one isolate only (below).

The apps are the same source on every runtime: test/runtimes/apps/hono.ts is one Hono app with \`currentMiddleware\` and a \`globalLock\`, served by \`@hono/node-server\` on Node, \`Bun.serve\` on Bun, \`Deno.serve\` on Deno and \`export default app\` on workerd.`;

/** The page's fixed prose after the measured tables. */
export const AFTER = `## Hono on every runtime: when a request ends

On \`@hono/node-server\` the Hono adapter follows Node's request and response, as every other adapter does. Everywhere else (\`Bun.serve\`, \`Deno.serve\`, workerd, \`app.request()\`, HTTP/2) it follows the web-standard \`Response\`: the request ends once the body of the \`Response\` it answered with was read to its end or cancelled (by the server, when the client left), or once the request's \`signal\` aborts. Then, once each: the reset callbacks run, a \`globalLock\`/\`keyedLock\` is released, and \`Current\` reads the request's values until then, streamed bodies included. What a runtime does not tell us cannot be followed: a server that never cancels the body of a client that left and never aborts \`request.signal\` keeps the lock until the body is read (\`app.request()\` is such a caller: read or cancel its \`Response\` body, or pass a \`signal\`).

## Workers: locks per isolate

On workerd a \`globalLock\` or \`keyedLock\` serializes the requests that one isolate serves at once, which is what the apps table measures (workerd serves them all from one isolate). It does not reach further: Cloudflare runs a Worker in many isolates, in many locations, and starts or evicts them as it likes, so two requests in two isolates hold "the same" lock at once, and a lock's queue is lost with its isolate. For exclusion across a whole deployment, use a Durable Object (one instance per key) and take the lock there. The Redis backend needs a TCP client for Redis that runs in Workers and is not measured here.

workerd cancels a request that waits with nothing pending in its own context ("your Worker's code had hung"); a request queued behind another request's lock is such a request. A waiter therefore keeps a timer of its own while it waits (only on workerd, only for a lock without \`timeoutMs\`), so it is granted when the holder releases instead of being cancelled. The lock's grant crosses from one request to another, which workerd allows by default (\`handle_cross_request_promise_resolution\`); with the \`no_handle_cross_request_promise_resolution\` flag the waiters are not measured.

## TC39 AsyncContext

The core uses three operations of \`AsyncLocalStorage\`: \`run\` and \`getStore\` (one \`AsyncContext.Variable\`'s \`run\` and \`get\`) and \`AsyncLocalStorage.snapshot()\` (\`AsyncContext.Snapshot\`). Values never travel through \`enterWith\`, which has no \`AsyncContext\` counterpart, which workerd does not implement and after which Bun has lost values: test/runtimes/no-enter-with.test.ts runs the core, a lock and the Hono adapter and counts no call. One diagnostic does call it, on Node only: the warning about a definition read outside any scope while serving an HTTP request (src/core/outside-request.ts) marks each request from Node's \`http.server.request.start\` channel with \`enterWith\` on an AsyncLocalStorage of its own, and only while a read outside any scope armed it (for the next 100 requests). workerd publishes no such channel, so the call is never reached there; under \`AsyncContext\` that warning would need another way to mark a request. The test fails on any other call. When engines ship \`AsyncContext\`, the library can move onto it without a change to its API.

## Not measured here

- The adapter contract suite (test/adapters/contract) and the rest of the vitest suite run on Node only: vitest itself does not run on Bun, Deno or workerd here. On those runtimes the apps above and the context-loss suite are the evidence.
- The Redis lock backend, the race-testing kit, BullMQ and the probe CLI on Bun, Deno and workerd.
- Deno with Express, Koa, Fastify or @hono/node-server from a plain \`node_modules\` beyond what the apps table shows; Deno Deploy and Bun's own test runner.
- workerd with more than one isolate, and Cloudflare's hosted Workers (the same workerd, but many isolates; see above).`;
