import { describeValue } from './describe-value.js';
import { ProbeUsageError } from './errors.js';

/** Reads, from an answer's body, the one value that says whose data it is. */
export interface AnswerRule {
  /** How the rule reads, for messages: `json path user.name`, `regex /.../`, `the whole body`. */
  readonly description: string;
  /** The value the answer carries, or `undefined` when the rule finds none. */
  extract(body: string): string | undefined;
}

/** What the command line says about the rule: at most one of the two. */
export interface RuleSource {
  readonly jsonPath?: string | undefined;
  readonly regex?: string | undefined;
}

/**
 * Makes the rule that reads each answer: a JSON path (`user.name`,
 * `$.data[0].id`), a regular expression (its first capture group, or the
 * whole match when it has none), or by default the whole body, trimmed.
 *
 * @throws {ProbeUsageError} when both are given, the path is malformed or the expression does not compile.
 * @example
 * ```ts
 * answerRule({ jsonPath: 'user.name' }).extract('{"user":{"name":"ann"}}'); // 'ann'
 * answerRule({ regex: 'Hello, (\\w+)' }).extract('<h1>Hello, bob</h1>'); // 'bob'
 * answerRule({}).extract('carol\n'); // 'carol'
 * ```
 */
export function answerRule({ jsonPath, regex }: RuleSource): AnswerRule {
  if (jsonPath !== undefined && regex !== undefined) {
    throw new ProbeUsageError('Give --json-path or --regex, not both: each answer is read one way.');
  }
  if (jsonPath !== undefined) return jsonPathRule(jsonPath);
  if (regex !== undefined) return regexRule(regex);
  return { description: 'the whole body', extract: (body) => body.trim() || undefined };
}

// A path of names and indexes, hand-written rather than a JSONPath library:
// an answer must yield exactly one value to compare, and JSONPath's
// wildcards, filters and recursive descent yield lists.
const SEGMENT = /\.?([^.[\]]+)|\[(\d+)\]/y;

function jsonPathRule(path: string): AnswerRule {
  const source = path.startsWith('$') ? path.slice(1) : path;
  const segments: (string | number)[] = [];
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < source.length) {
    const match = SEGMENT.exec(source);
    if (match === null) {
      throw new ProbeUsageError(
        `Expected \`--json-path\` to be names and indexes such as \`user.name\` or \`$.items[0].id\`, got ${describeValue(path)}.`,
      );
    }
    segments.push(match[1] ?? Number(match[2]));
  }
  if (segments.length === 0) {
    throw new ProbeUsageError(
      'Expected `--json-path` to name a field, such as `user.name`; without it, the rule reads the whole body.',
    );
  }
  return {
    description: `json path \`${path}\``,
    extract(body) {
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        return undefined;
      }
      for (const segment of segments) {
        if (value === null || typeof value !== 'object') return undefined;
        value = (value as Record<string | number, unknown>)[segment];
      }
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : undefined;
    },
  };
}

function regexRule(pattern: string): AnswerRule {
  let expression: RegExp;
  try {
    expression = new RegExp(pattern);
  } catch (error) {
    throw new ProbeUsageError(
      `Expected \`--regex\` to be a regular expression, got ${describeValue(pattern)}: ${(error as Error).message}.`,
    );
  }
  return {
    description: `regex \`${pattern}\``,
    extract(body) {
      const match = expression.exec(body);
      return match === null ? undefined : (match[1] ?? match[0]);
    },
  };
}
