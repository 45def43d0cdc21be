// `npm run bench:micro`: the cost of Current's accessors and scopes against
// raw AsyncLocalStorage, with express-http-context's `get` as a peer.
import { AsyncLocalStorage } from 'node:async_hooks';
import { defineCurrent } from 'current-attributes';
import httpContext from 'express-http-context';
import { bench, do_not_optimize, run, summary } from 'mitata';

class Attributes {
  user?: { id: string } = undefined;
  account?: string;
  locale = 'en';
  requestId = 'request-1';
}
const Current = defineCurrent(Attributes);

/** Attributes behind a getter/setter pair: the shape whose setter inputs the library records. */
class WithAccessors {
  locale = 'en';
  #user?: { id: string };
  get user() {
    return this.#user;
  }
  set user(user) {
    this.#user = user;
  }
}
const Accessors = defineCurrent(WithAccessors);
const raw = new AsyncLocalStorage<{ user?: { id: string }; locale: string }>();
const user = { id: 'u1' };
const noop = () => 1;

/** Registers every benchmark with mitata, which forgets them after each `run`. */
function register(): void {
  summary(() => {
    bench('raw getStore().user', () => do_not_optimize(raw.getStore()?.user));
    bench('Current.user', () => do_not_optimize(Current.user));
    bench('Current.locale', () => do_not_optimize(Current.locale));
    bench("express-http-context get('user')", () => do_not_optimize(httpContext.get('user')));
  });
  summary(() => {
    bench('raw getStore().user = x', () => {
      (raw.getStore() as { user?: object }).user = user;
    });
    bench('Current.user = x', () => {
      Current.user = user;
    });
  });
  summary(() => {
    bench('Current.set({ locale }, fn)', () => do_not_optimize(Current.set({ locale: 'fr' }, noop)));
    bench('Current.set({ user }, fn)', () => do_not_optimize(Current.set({ user }, noop)));
    bench('Accessors.set({ user }, fn) through a setter', () => do_not_optimize(Accessors.set({ user }, noop)));
  });
  summary(() => {
    bench('raw als.run(store, fn)', () => do_not_optimize(raw.run({ locale: 'en' }, noop)));
    bench('Current.run(fn)', () => do_not_optimize(Current.run(noop)));
    bench('Current.run(fn) touching Current', () =>
      do_not_optimize(
        Current.run(() => {
          Current.user = user;
          return Current.user;
        }),
      ),
    );
    bench('Accessors.run(fn) touching a setter', () =>
      do_not_optimize(
        Accessors.run(() => {
          Accessors.user = user;
          return Accessors.user;
        }),
      ),
    );
  });
}

// Every benchmark runs inside a scope of each kind, as a request's code would.
const results = await Current.run(() =>
  raw.run(
    { user, locale: 'en' },
    () =>
      new Promise<Awaited<ReturnType<typeof run>>>((resolve) => {
        httpContext.middleware({} as never, {} as never, () => {
          Current.user = user;
          httpContext.set('user', user);

          // A warm-up pass first, whose numbers are dropped: the first measurement in a
          // process runs before the JIT has settled and read up to 4x slow.
          register();
          resolve(
            run({ format: 'quiet' }).then(() => {
              register();
              return run();
            }),
          );
        });
      }),
  ),
);

const average = (name: string) => {
  const trial = results.benchmarks.find((benchmark) => benchmark.alias === name);
  return (trial?.runs[0] as { stats?: { avg: number } } | undefined)?.stats?.avg ?? Number.NaN;
};
const ratio = average('Current.user') / average('raw getStore().user');
const ratioLocale = average('Current.locale') / average('raw getStore().user');
if (Number.isNaN(ratio) || Number.isNaN(ratioLocale)) {
  console.error(
    'bench:micro measured nothing: mitata returned no timing for the reads. This is a bug in bench/micro.ts.',
  );
  process.exit(1);
}
console.log(
  `\nTarget: Current.user read within 2x of a raw getStore() property read: ${ratio.toFixed(2)}x ` +
    `(Current.locale: ${ratioLocale.toFixed(2)}x) ${ratio <= 2 && ratioLocale <= 2 ? 'met' : 'MISSED'}`,
);
