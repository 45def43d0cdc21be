import type { Strategy } from '../frameworks.js';
import { currentAttribute, type Keeper, moduleVariable, rawStorage } from './keepers.js';

/**
 * How one framework plugs a context in: `M` is whatever runs before its
 * handler (Express and Koa middleware, a Fastify registration, a wrapper
 * around a node:http handler), made for each context that needs one.
 */
export interface FrameworkContexts<M> {
  readonly name: string;
  /** This library's `globalLock()` in the framework's form. */
  readonly lock: () => M;
  /** This library's scope per request, through its adapter. */
  readonly current: () => M;
  /** A raw AsyncLocalStorage: `run(fn)` opens a request's store around the rest of the request. */
  readonly als: (run: <R>(fn: () => R) => R) => M;
  /** The framework's own request-context package, where it has one. */
  readonly peer?: () => { readonly before: M; readonly keeper: Keeper };
}

/**
 * What runs before the handler for `strategy`, and how the handler keeps the user.
 *
 * @example
 * ```ts
 * const { before, keeper } = contextFor('current', { name: 'Koa', lock: globalLock, current: currentMiddleware, als });
 * if (before) app.use(before);
 * app.use(async (ctx) => { ctx.body = await answer(keeper, ctx.get('x-user'), delayOf(ctx.url)); });
 * ```
 */
export function contextFor<M>(strategy: Strategy, framework: FrameworkContexts<M>): { before?: M; keeper?: Keeper } {
  switch (strategy) {
    case 'bare':
      return {};
    case 'global':
      return { keeper: moduleVariable() };
    case 'global-lock':
      return { before: framework.lock(), keeper: moduleVariable() };
    case 'current':
      return { before: framework.current(), keeper: currentAttribute() };
    case 'als': {
      const storage = rawStorage();
      return { before: framework.als(storage.run), keeper: storage };
    }
    case 'peer':
      if (framework.peer === undefined) throw new Error(`${framework.name} has no request-context peer to measure.`);
      return framework.peer();
  }
}
