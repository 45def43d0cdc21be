import { InvalidArgumentError, perRequest, ScopeMissingError } from 'current-attributes';
import DataLoader from 'dataloader';
import { describe, expect, expectTypeOf, test } from 'vitest';
import { Current } from './harness/current.js';

/** Two requests load their own id at once; returns the request each batch call ran in, with the keys it got. */
async function batchesOfTwoRequests(loader: () => DataLoader<number, number>) {
  const batches: Array<{ ranIn: number | undefined; keys: readonly number[] }> = [];
  const load = (id: number) =>
    Current.run(async () => {
      Current.requestId = id;
      return loader().load(id);
    });
  batchCalls = (keys) => batches.push({ ranIn: Current.requestId, keys });
  expect(await Promise.all([load(1), load(2)])).toEqual([1, 2]);
  return batches;
}

let batchCalls: (keys: readonly number[]) => void = () => {};
const batch = async (keys: readonly number[]) => {
  batchCalls(keys);
  return keys;
};

describe('perRequest', () => {
  test("lets a DataLoader made at start-up batch two requests' keys into one call that runs in the first request", async () => {
    const shared = new DataLoader(batch);
    expect(await batchesOfTwoRequests(() => shared)).toEqual([{ ranIn: 1, keys: [1, 2] }]);
  });

  test('gives each request a loader of its own, whose batch runs in that request', async () => {
    const loader = perRequest(() => new DataLoader(batch));
    expect(await batchesOfTwoRequests(loader)).toEqual([
      { ranIn: 1, keys: [1] },
      { ranIn: 2, keys: [2] },
    ]);
  });

  test('returns the same instance throughout one request, also inside Current.set, and a new one in the next', async () => {
    const get = perRequest(() => ({}));
    const [first, second] = await Promise.all([
      Current.run(async () => {
        const outer = get();
        const inner = await Current.set({ requestId: 1 }, async () => get());
        expect(inner).toBe(outer);
        return outer;
      }),
      Current.run(async () => get()),
    ]);
    expect(first).not.toBe(second);
  });

  test('throws ScopeMissingError outside any scope, naming the factory, and refuses a factory that is not a function', () => {
    const get = perRequest(function createLoader() {
      return {};
    });
    expect(get).toThrow(ScopeMissingError);
    expect(get).toThrow('Cannot call perRequest.createLoader(): no scope is active.');
    expect(() => perRequest('loader' as never)).toThrow(InvalidArgumentError);
  });

  test('is typed as a getter of what the factory makes', () => {
    expectTypeOf(perRequest(() => new DataLoader(batch))).toEqualTypeOf<() => DataLoader<number, number>>();
  });
});
