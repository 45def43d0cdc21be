import { PropagationLimitError } from './errors.js';

/** W3C Baggage's limits (https://www.w3.org/TR/baggage/#limits): a header of at most 8,192 bytes and 64 members. */
export const BAGGAGE_MAX_BYTES = 8192;
export const BAGGAGE_MAX_MEMBERS = 64;

/** One list-member of a baggage header: its key, its decoded value, and its properties as written. */
export interface BaggageMember {
  readonly key: string;
  readonly value: string;
  readonly properties: string;
}

/**
 * Parses a W3C `baggage` header (or several, joined with commas as HTTP
 * allows). Returns `undefined` when it is malformed or over the limits: a
 * receiver takes all of a header or none of it. Hand-written: the library
 * has no runtime dependencies, and OpenTelemetry's parser drops bad members
 * one by one instead of refusing the header.
 */
export function parseBaggage(header: string): BaggageMember[] | undefined {
  if (Buffer.byteLength(header) > BAGGAGE_MAX_BYTES) return undefined;
  const members: BaggageMember[] = [];
  for (const raw of header.split(',')) {
    const text = raw.trim();
    if (text === '') continue;
    const semicolon = text.indexOf(';');
    const pair = semicolon === -1 ? text : text.slice(0, semicolon);
    const equals = pair.indexOf('=');
    if (equals <= 0) return undefined;
    const key = pair.slice(0, equals).trim();
    const encoded = pair.slice(equals + 1).trim();
    if (!TOKEN.test(key) || !VALUE.test(encoded)) return undefined;
    let value: string;
    try {
      value = decodeURIComponent(encoded);
    } catch {
      return undefined;
    }
    members.push({ key, value, properties: semicolon === -1 ? '' : text.slice(semicolon) });
    if (members.length > BAGGAGE_MAX_MEMBERS) return undefined;
  }
  return members;
}

/**
 * Writes members as a baggage header, refusing what a receiver would have
 * to drop: too many members or too many bytes.
 *
 * @throws {PropagationLimitError} when the header would be over W3C's limits.
 */
export function formatBaggage(members: readonly BaggageMember[]): string {
  if (members.length > BAGGAGE_MAX_MEMBERS) {
    throw new PropagationLimitError(
      `a baggage header of ${members.length} members`,
      `at most ${BAGGAGE_MAX_MEMBERS} (W3C Baggage)`,
    );
  }
  const header = members.map(formatMember).join(',');
  const bytes = Buffer.byteLength(header);
  if (bytes > BAGGAGE_MAX_BYTES) {
    throw new PropagationLimitError(`a baggage header of ${bytes} bytes`, `at most ${BAGGAGE_MAX_BYTES} (W3C Baggage)`);
  }
  return header;
}

/** A member as written on the wire: the key, `=`, the percent-encoded value, then its properties. */
export function formatMember({ key, value, properties }: BaggageMember): string {
  return `${key}=${encodeValue(value)}${properties}`;
}

/** encodeURIComponent leaves only characters that baggage values may hold, and encodes `%` itself. */
function encodeValue(value: string): string {
  return encodeURIComponent(value);
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** baggage-octet: printable ASCII but space, `"`, `,`, `;` and `\`. */
const VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;
