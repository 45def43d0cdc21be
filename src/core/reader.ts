import type { Definition, Instance } from './definition.js';
import { storage } from './scope.js';

type Reader = () => unknown;

/**
 * Builds the getter behind one member of `Current`: the hot path of the
 * library. Each member gets a function of its own, compiled with the member's
 * name in it, so its property load always sees one name and stays
 * monomorphic. Closures made from one function literal share their inline
 * caches, so with a handful of attributes that load goes megamorphic and a
 * read costs about twice as much (`npm run bench:micro`). Where code
 * generation from strings is disabled (`--disallow-code-generation-from-strings`),
 * it falls back to the closure.
 */
export function createReader(definition: Definition, key: string): Reader {
  const outside = (member: string) => definition.instanceToRead(member);
  try {
    const compile = new Function(
      'storage',
      'definition',
      'outside',
      `return function read() {
        const scope = storage.getStore();
        return (scope === undefined ? outside(${JSON.stringify(key)}) : scope.instanceFor(definition))[${JSON.stringify(key)}];
      };`,
    );
    return compile(storage, definition, outside) as Reader;
  } catch {
    return () => {
      const scope = storage.getStore();
      return (scope === undefined ? outside(key) : (scope.instanceFor(definition) as Instance))[key];
    };
  }
}
