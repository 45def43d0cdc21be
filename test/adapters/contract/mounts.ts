import { describe, expect, test } from 'vitest';
import { Current } from '../../support/fixtures.js';
import { until } from '../../support/until.js';
import type { AdapterUnderTest, ContractApp, StartedApp } from './types.js';

/** The scope middleware mounted twice in one request, as a router or sub-app mounts it again. */
export function describeMounts(adapter: AdapterUnderTest, start: (app: ContractApp) => Promise<StartedApp>): void {
  describe(`${adapter.name}: a second mount`, () => {
    test('reuses the request’s scope: values set between the mounts stay, reset callbacks run once', async () => {
      if (adapter.refusesSecondMount || adapter.mountsScopeOnce) return;
      const resets: string[] = [];
      const removeCallback = Current.beforeReset(() => resets.push(`${Current.locale} ${Current.requestId}`));
      try {
        const app = await start({
          scope: {
            setup: () => {
              Current.requestId = 'set by the first mount';
            },
            mountedTwice: {
              between: (call) => {
                Current.locale = call.path;
              },
              setup: () => {
                Current.tags = ['set by the second mount'];
              },
            },
          },
          route: (call) => {
            call.end(JSON.stringify([Current.locale, Current.requestId, Current.tags]));
          },
        });
        const answers = await Promise.all(
          ['/ada', '/bob'].map(async (path) => JSON.parse(await (await fetch(`${app.url}${path}`)).text())),
        );
        expect(answers).toEqual([
          ['/ada', 'set by the first mount', ['set by the second mount']],
          ['/bob', 'set by the first mount', ['set by the second mount']],
        ]);
        await until(() => resets.length >= 2);
        await new Promise((resolve) => setImmediate(resolve));
        expect(resets.sort()).toEqual(['/ada set by the first mount', '/bob set by the first mount']);
      } finally {
        removeCallback();
      }
    });
  });
}
