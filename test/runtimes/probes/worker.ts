/**
 * The context-loss suite inside workerd: each request runs every probe and
 * answers the results as JSON. `?echo=<url>` is the echo server for the
 * I/O probes. Bundled by test/runtimes/workerd/bundle.ts.
 */
import { allProbes } from './index.js';
import { runProbes } from './run-probes.js';

export default {
  async fetch(request: Request): Promise<Response> {
    const echoUrl = new URL(request.url).searchParams.get('echo') ?? undefined;
    return Response.json(await runProbes(allProbes, { echoUrl }));
  },
};
