import { ScopeMissingError } from '../core/errors.js';
import { type Scope, storage } from '../core/scope.js';
import { expectFunction } from '../core/validate.js';

/**
 * Returns a getter of one `create()` result per request: the first call in
 * a scope (a request, a job, `Current.run`) creates it, later calls in the
 * same scope, also from `Current.set` or a lock's critical section, return
 * the same one, and another request gets its own. For objects that must not
 * be shared between requests, above all a DataLoader: made once at
 * start-up, it batches the keys of concurrent requests into one call of the
 * batch function, which runs in the first request's scope (so it reads that
 * request's user for all of them), and its cache hands one request what was
 * loaded for another.
 *
 * @param create - makes the object; called at most once per scope.
 * @throws {InvalidArgumentError} when `create` is not a function.
 * @throws {ScopeMissingError} from the getter, when called outside any scope.
 * @example
 * ```ts
 * const userLoader = perRequest(() => new DataLoader((ids) => users.findMany(ids)));
 * app.get('/me', async (req, res) => res.json(await userLoader().load(req.params.id)));
 * ```
 */
export function perRequest<T>(create: () => T): () => T {
  expectFunction('create', create);
  const made = new WeakMap<Scope, { value: T }>();
  const name = create.name || 'create';
  return () => {
    const scope = storage.getStore();
    if (scope === undefined) throw new ScopeMissingError('perRequest', `${name}()`, 'call');
    const owner = requestScopeOf(scope);
    let entry = made.get(owner);
    if (entry === undefined) {
      entry = { value: create() };
      made.set(owner, entry);
    }
    return entry.value;
  };
}

/** A child scope (`Current.set`, a lock's section) belongs to the scope it was forked from. */
function requestScopeOf(scope: Scope): Scope {
  let owner = scope;
  while (owner.parent !== undefined) owner = owner.parent;
  return owner;
}
