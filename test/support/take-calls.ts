import { onTestFinished, vi } from 'vitest';

/**
 * Replaces `target[method]` for the current test: a call `take` accepts is
 * taken (not passed on), any other reaches the original, so nothing the test
 * did not expect goes unseen. Restored when the test finishes, or by the
 * returned function. For output a test triggers on purpose (process
 * warnings, a server's log lines), which would otherwise print in a clean run.
 *
 * @example
 * ```ts
 * takeCalls(console, 'error', (...args) => String(args[0]) === 'Error: aborted');
 * ```
 */
export function takeCalls<Target extends object, Method extends keyof Target & string>(
  target: Target,
  method: Method,
  take: (...args: never[]) => boolean,
): () => void {
  const original = target[method] as (...args: unknown[]) => unknown;
  // biome-ignore lint/suspicious/noExplicitAny: vi.spyOn's overloads cannot name a method picked by a type parameter.
  const spy = vi.spyOn(target as any, method).mockImplementation((...args: unknown[]) => {
    if ((take as (...args: unknown[]) => boolean)(...args)) return undefined;
    return Reflect.apply(original, target, args);
  });
  const restore = () => spy.mockRestore();
  onTestFinished(restore);
  return restore;
}
