import type { Job, Processor, Queue } from 'bullmq';
import { InvalidArgumentError } from 'current-attributes';
import { CONTEXT_KEY, processWithContext, withContext } from 'current-attributes/bullmq';
import { describe, expect, expectTypeOf, test } from 'vitest';
import { Current } from './support/job-current.js';

describe('withContext', () => {
  test('adds the scope’s context to a copy of the data, and outside a scope adds nothing', () => {
    const data = { title: 'monthly' };
    const inScope = Current.run(() => {
      Current.user = 'ann';
      return withContext(data);
    });
    expect(Object.keys(inScope)).toEqual(['title', CONTEXT_KEY]);
    expect(data).toEqual({ title: 'monthly' });
    expect(withContext(data)).toEqual({ title: 'monthly' });
  });

  test('refuses data that is not a plain object, or that already carries a context, saying how to fix it', () => {
    expect(() => withContext('monthly' as never)).toThrow(
      new InvalidArgumentError(
        "Expected `data` to be a plain object (the job's data, a message, workerData), got `monthly` (string). " +
          'Wrap other values in one: withContext({ value }).',
      ),
    );
    const fromAnotherJob = Current.run(() => withContext({ title: 'monthly' }));
    expect(() => Current.run(() => withContext(fromAnotherJob))).toThrow(
      /^Expected `data` to have no `currentAttributes` key, got one: withContext\(\) adds it\. .*\.\.\.rest \} = data\.$/,
    );
  });

  test('keeps the data’s type for Queue.add', () => {
    const typeChecksOnly = (queue: Queue<{ title: string }>) => queue.add('report', withContext({ title: 'monthly' }));
    expectTypeOf(typeChecksOnly).returns.resolves.toEqualTypeOf<Job<{ title: string }>>();
  });
});

describe('processWithContext', () => {
  test('refuses a processor that is not a function, and malformed options, when wrapping rather than per job', () => {
    expect(() => processWithContext('./report.js' as never)).toThrow(
      new InvalidArgumentError('Expected `processor` to be a function, got `./report.js` (string).'),
    );
    expect(() => processWithContext(async () => undefined, { onUnknownDefinition: 'warn' as never })).toThrow(
      new InvalidArgumentError('Expected `options.onUnknownDefinition` to be a function, got `warn` (string).'),
    );
  });

  test('refuses to be called with something other than a job, with a typed error instead of a bare TypeError', () => {
    const processor = processWithContext(async () => 'ran');
    for (const notAJob of [undefined, null, 'job-1']) {
      expect(() => processor(notAJob as never)).toThrow(InvalidArgumentError);
    }
    expect(() => processor(undefined as never)).toThrow(
      /^Expected `job` to be a BullMQ job \(an object with `data`\), got `undefined` \(undefined\)\. Pass the wrapped processor to BullMQ/,
    );
  });

  test('returns a processor a Worker accepts, typed as the one it wraps', () => {
    const processor = processWithContext(async (job: Job<{ title: string }>) => job.data.title.length);
    expectTypeOf(processor).toExtend<Processor<{ title: string }, number>>();
  });
});
