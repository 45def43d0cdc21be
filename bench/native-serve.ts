/** `Bun.serve` and `Deno.serve`, as far as the benchmark's servers use them. */
interface NativeServers {
  Bun?: { serve(options: { port: number; hostname: string; fetch: FetchHandler }): { port: number } };
  Deno?: {
    serve(
      options: { port: number; hostname: string; onListen(address: { port: number }): void },
      handler: FetchHandler,
    ): unknown;
  };
}
type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Whether this process runs on Bun or Deno, which serve a fetch handler themselves. */
export const hasNativeServer = (): boolean => {
  const runtime = globalThis as NativeServers;
  return runtime.Bun !== undefined || runtime.Deno !== undefined;
};

/**
 * Serves `fetch` on 127.0.0.1 with the runtime's own server (`Bun.serve` or
 * `Deno.serve`), as Hono users on those runtimes do, and resolves with the port.
 *
 * @example
 * ```ts
 * const port = await serveNatively(createHonoApp('current').fetch, 0);
 * ```
 */
export function serveNatively(fetch: FetchHandler, port: number): Promise<number> {
  const runtime = globalThis as NativeServers;
  if (runtime.Bun !== undefined) return Promise.resolve(runtime.Bun.serve({ port, hostname: '127.0.0.1', fetch }).port);
  const { Deno } = runtime;
  if (Deno === undefined)
    return Promise.reject(new Error('Neither Bun nor Deno runs this process: serve with node:http.'));
  return new Promise((resolve) => {
    Deno.serve({ port, hostname: '127.0.0.1', onListen: (address) => resolve(address.port) }, fetch);
  });
}
