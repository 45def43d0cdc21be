/** Text that arrives in chunks (a socket, a child's stderr), and waiters for a part of it. */
export interface TextWatch {
  /** Everything that arrived so far. */
  readonly text: string;
  append(chunk: string): void;
  /** Resolves once the text contains `part` (or matches it); rejects if `ended` settles first, saying `how` it ended. */
  shows(part: string | RegExp, ended: Promise<unknown>, how: string): Promise<void>;
}

/** Starts watching text that has not arrived yet. */
export function watchText(): TextWatch {
  let text = '';
  const waiting = new Set<() => void>();
  const has = (part: string | RegExp) => (typeof part === 'string' ? text.includes(part) : part.test(text));
  return {
    get text() {
      return text;
    },
    append(chunk) {
      text += chunk;
      for (const check of waiting) check();
    },
    shows: (part, ended, how) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!has(part)) return;
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        ended.then(() => (has(part) ? undefined : reject(new Error(`${how} before ${part}:\n${text}`))));
        check();
      }),
  };
}
