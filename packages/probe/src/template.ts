// Hand-written rather than a template engine: `{field}` substitution is one
// regular expression, and engines (Mustache, Handlebars) escape HTML by
// default and read `{{ }}`, which would garble JSON bodies.

/** Matches a placeholder: a field name in braces, such as `{token}`, `{user.id}` or `{i}`. */
const PLACEHOLDER = /\{([\w.-]+)\}/g;

/** A string with `{field}` placeholders, filled from one user's fields. */
export interface Template {
  /** The text as the user gave it. */
  readonly source: string;
  /** The fields its placeholders name, each once, in order of appearance. */
  readonly fields: readonly string[];
  /** The text with each placeholder replaced by the field's value, passed through `encode`. */
  render(values: Readonly<Record<string, string>>): string;
}

/**
 * Compiles `source` into a template. A placeholder is a name of letters,
 * digits, `_`, `.` or `-` in braces, so JSON braces (`{"user": "{name}"}`)
 * stay as they are. Every field must be present when rendering: the
 * identities are checked for that before any request is sent.
 *
 * @param encode applied to each value, such as `encodeURIComponent` in a path.
 * @example
 * ```ts
 * const path = compileTemplate('/users/{id}?lang={lang}', encodeURIComponent);
 * path.fields; // ['id', 'lang']
 * path.render({ id: '7', lang: 'fr' }); // '/users/7?lang=fr'
 * ```
 */
export function compileTemplate(source: string, encode: (value: string) => string = (value) => value): Template {
  const fields = [...new Set([...source.matchAll(PLACEHOLDER)].map(([, field]) => field as string))];
  return {
    source,
    fields,
    // Own fields only: `{constructor}` must not fill in the function every object inherits.
    render: (values) =>
      source.replace(PLACEHOLDER, (_, field: string) =>
        encode(Object.hasOwn(values, field) ? (values[field] as string) : ''),
      ),
  };
}
