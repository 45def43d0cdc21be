import 'reflect-metadata';
import { SetMetadata } from '@nestjs/common';
import { InvalidArgumentError } from 'current-attributes';
import { UseCurrent } from 'current-attributes/nestjs';
import { createBarrier } from 'current-attributes/testing';
import { describe, expect, test } from 'vitest';
import { Current } from '../../support/fixtures.js';

const barrier = createBarrier(2);

class Jobs {
  readonly resets: string[] = [];

  @SetMetadata('job', 'nightly')
  @UseCurrent({
    setup(this: Jobs, locale: string) {
      Current.locale = locale;
    },
  })
  async nightly(_locale: string) {
    Current.tags.push(this.constructor.name);
    await barrier.arrive();
    return { locale: Current.locale, tags: [...Current.tags] };
  }

  @UseCurrent()
  @SetMetadata('job', 'hourly')
  hourly() {
    Current.locale = 'hourly';
    return Current.locale;
  }
}

describe('@UseCurrent()', () => {
  test('runs each call in a fresh scope, set up from its arguments, also when called at once', async () => {
    const jobs = new Jobs();
    const removeCallback = Current.beforeReset(() => jobs.resets.push(Current.locale));
    try {
      const [first, second] = await Promise.all([jobs.nightly('fr'), jobs.nightly('de')]);
      expect(first).toEqual({ locale: 'fr', tags: ['Jobs'] });
      expect(second).toEqual({ locale: 'de', tags: ['Jobs'] });
      expect(jobs.resets.sort()).toEqual(['de', 'fr']);
      expect(Current.isActive).toBe(false);
    } finally {
      removeCallback();
    }
  });

  test('opens a fresh scope inside another one, and the outer values come back', () => {
    const jobs = new Jobs();
    Current.run(() => {
      Current.locale = 'outer';
      expect(jobs.hourly()).toBe('hourly');
      expect(Current.locale).toBe('outer');
    });
  });

  test('keeps the metadata Nest’s decorators put on the method, above or below it', () => {
    expect(Reflect.getMetadata('job', Jobs.prototype.nightly)).toBe('nightly');
    expect(Reflect.getMetadata('job', Jobs.prototype.hourly)).toBe('hourly');
  });

  test('refuses a setup that is not a function, and a property that is not a method', () => {
    expect(() => UseCurrent({ setup: 1 as never })).toThrow(InvalidArgumentError);
    expect(() => UseCurrent()({}, 'field', { value: 1 })).toThrow(/decorate a method/);
  });
});
