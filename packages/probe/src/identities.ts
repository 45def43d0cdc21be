import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describeValue } from './describe-value.js';
import { IdentityFileError } from './errors.js';

/** One virtual user: the fields its requests are built from. */
export interface Identity {
  /** 1, 2, 3, ...: also the field `i`, unless the file has a column of that name. */
  readonly number: number;
  /** Where it came from, for messages: `line 4` of the file, or `user 4` when generated. */
  readonly label: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** The formats of an identities file: CSV with a header line, or JSON lines. */
export type IdentityFormat = 'csv' | 'jsonl';

/** Each format, by the file's extension. */
const IDENTITY_FORMATS: Readonly<Record<string, IdentityFormat>> = {
  '.csv': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/**
 * Reads the users of a probe from a CSV file (a header line naming the
 * fields, then one user a line) or a JSON lines file (one object a line).
 *
 * @throws {IdentityFileError} when the file cannot be read or parsed, or its extension is not `.csv`, `.jsonl` or `.ndjson`.
 * @example
 * ```ts
 * // users.csv:
 * // name,token
 * // ann,t-1
 * // bob,t-2
 * const users = await readIdentities('users.csv');
 * users[1]; // { number: 2, label: 'line 3', fields: { i: '2', name: 'bob', token: 't-2' } }
 * ```
 */
export async function readIdentities(path: string): Promise<Identity[]> {
  const format = IDENTITY_FORMATS[extname(path).toLowerCase()];
  if (format === undefined) {
    throw new IdentityFileError(
      `Cannot tell the format of \`${path}\` from its extension: name it .csv (a header line, then one user a line) ` +
        'or .jsonl (one JSON object a line).',
    );
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new IdentityFileError(`Cannot read the identities file \`${path}\`: ${(error as Error).message}.`);
  }
  return parseIdentities(text, format, path);
}

/**
 * Parses the text of an identities file; `source` names it in messages.
 *
 * @throws {IdentityFileError} when a line is malformed, naming the line.
 * @example
 * ```ts
 * parseIdentities('{"name":"ann"}\n{"name":"bob"}\n', 'jsonl', 'users.jsonl').length; // 2
 * ```
 */
export function parseIdentities(text: string, format: IdentityFormat, source: string): Identity[] {
  const rows = format === 'csv' ? csvRows(text, source) : jsonRows(text, source);
  return rows.map(({ line, fields }, index) => ({
    number: index + 1,
    label: `line ${line}`,
    fields: { i: String(index + 1), ...fields },
  }));
}

/**
 * Makes `count` users whose only field is `i`: 1, 2, ..., `count`.
 *
 * @example
 * ```ts
 * generateIdentities(2); // [{ number: 1, label: 'user 1', fields: { i: '1' } }, { number: 2, label: 'user 2', ... }]
 * ```
 */
export function generateIdentities(count: number): Identity[] {
  return Array.from({ length: count }, (_, index) => ({
    number: index + 1,
    label: `user ${index + 1}`,
    fields: { i: String(index + 1) },
  }));
}

interface Row {
  readonly line: number;
  readonly fields: Record<string, string>;
}

function csvRows(text: string, source: string): Row[] {
  try {
    const records = parseCsv(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n'],
      info: true,
      columns: (header: string[]) => {
        const repeated = header.find((name, index) => header.indexOf(name) !== index);
        if (repeated !== undefined) throw new Error(`the header names the column \`${repeated}\` twice`);
        return header;
      },
    }) as unknown as { record: Record<string, string>; info: { lines: number } }[];
    return records.map(({ record, info }) => ({ line: info.lines, fields: record }));
  } catch (error) {
    throw new IdentityFileError(
      `${source}: ${(error as Error).message}. Give the CSV a header line naming the fields, then one user a line ` +
        'with a value for every column (quote a value that holds a comma: "Doe, Ann").',
    );
  }
}

function jsonRows(text: string, source: string): Row[] {
  return text.split(/\r?\n/).flatMap((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return [];
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new IdentityFileError(
        `${source} line ${line} is not JSON (${(error as Error).message}): ${raw.slice(0, 80)}`,
      );
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new IdentityFileError(
        `${source} line ${line}: expected an object of fields such as {"name": "ann", "token": "t-1"}, got ${describeValue(value)}.`,
      );
    }
    const fields: Record<string, string> = {};
    for (const [name, field] of Object.entries(value)) {
      if (typeof field !== 'string' && typeof field !== 'number' && typeof field !== 'boolean') {
        throw new IdentityFileError(
          `${source} line ${line}: expected field \`${name}\` to be a string, number or boolean, got ${describeValue(field)}. ` +
            'Templates fill in plain values: flatten nested fields into their own keys.',
        );
      }
      fields[name] = String(field);
    }
    return [{ line, fields }];
  });
}
