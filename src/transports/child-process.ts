import { deserialize, serialize } from 'node:v8';
import { serializeContext } from '../core/context.js';
import { InvalidPayloadError } from '../core/errors.js';
import type { AnyCurrent } from '../core/registry.js';
import { expectFunction } from '../core/validate.js';
import { PropagationLimitError } from '../propagation/errors.js';
import { runWithContext } from './context-carrier.js';

/** The environment variable that carries a context into a child process (Laravel does the same for scheduled tasks). */
export const CONTEXT_ENV = 'CURRENT_ATTRIBUTES_CONTEXT';

/** Linux refuses one environment string over 128 KiB (MAX_ARG_STRLEN): `spawn` would fail with E2BIG. */
const MAX_ENV_BYTES = 131_072;

/**
 * Returns a copy of `env` that carries the active scope's values into a
 * child process (hidden ones included: the child is the application's own),
 * for `runWithEnvContext` in the child. The values are a V8 structured
 * clone, so dates and maps survive. Outside any scope it adds nothing.
 *
 * @throws {PropagationLimitError} when the context is over the 128 KiB an environment variable may hold.
 * @throws {UnserializableAttributeError} when an attribute cannot be cloned.
 * @example
 * ```ts
 * spawn(process.execPath, ['export.js'], { env: envWithContext() });
 * ```
 */
export function envWithContext(
  env: NodeJS.ProcessEnv = process.env,
  options: { readonly currents?: readonly AnyCurrent[] } = {},
): NodeJS.ProcessEnv {
  const { [CONTEXT_ENV]: _inherited, ...rest } = env;
  const context = serializeContext(options.currents);
  if (context === undefined) return rest;
  const value = serialize(context).toString('base64');
  if (value.length + CONTEXT_ENV.length + 1 > MAX_ENV_BYTES) {
    throw new PropagationLimitError(
      `a context of ${value.length} bytes in ${CONTEXT_ENV}`,
      `${MAX_ENV_BYTES} bytes (Linux's MAX_ARG_STRLEN)`,
    );
  }
  return { ...rest, [CONTEXT_ENV]: value };
}

/**
 * In a child process started with `envWithContext`, runs `fn` in a scope
 * restored from the parent's values; without the variable, in an empty scope.
 *
 * @throws {InvalidPayloadError} when the variable holds something else than a context.
 * @example
 * ```ts
 * await runWithEnvContext(() => exportRows(Current.user));
 * ```
 */
export function runWithEnvContext<R>(fn: () => R, env: NodeJS.ProcessEnv = process.env): R {
  expectFunction('fn', fn);
  const value = env[CONTEXT_ENV];
  let context: unknown;
  if (value !== undefined) {
    try {
      context = deserialize(Buffer.from(value, 'base64'));
    } catch (cause) {
      throw new InvalidPayloadError(
        `Expected \`${CONTEXT_ENV}\` to hold a context from envWithContext(), got one that does not decode.`,
        {
          cause,
        },
      );
    }
  }
  return runWithContext({ currentAttributes: context }, fn);
}
