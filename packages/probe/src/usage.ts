import { PROBE_LIMITS as LIMITS } from './settings.js';
import { EXIT_CODES } from './verdict.js';

/**
 * The text of `current-attributes-probe --help`: every option, what it does,
 * its default and an example.
 *
 * @example
 * ```ts
 * process.stdout.write(PROBE_USAGE);
 * ```
 */
export const PROBE_USAGE = `Usage: npx current-attributes-probe <url> [options]

Does your server leak one request's data into another's? The probe drives it
with many concurrent virtual users, each with its own identity, and checks
every answer against the user who asked. An answer that carries ANOTHER
user's value is a leak. Any stack, any language: it only speaks HTTP.

Before any load it sends two sample requests, one at a time, and stops with a
clear message if the server does not answer 2xx or the rule cannot read the
user's value. Requests go to <url>'s origin only; redirects are not followed.

  <url>                    Where to send, with {field} placeholders in the path and query
                           (values are URL-encoded there). A URL parsers could read two ways
                           is refused: a backslash, a path starting with //, spaces or
                           control characters.
                           Example: http://127.0.0.1:3000/me
                           Example: 'https://staging.example.com/users/{id}/profile'

Who the users are (one of):
  -i, --identities <file>  A CSV file (a header line naming the fields, then one user a line)
                           or JSON lines (.jsonl, one object a line). Needs --expect.
                           Example: -i users.csv   (lines: name,token  then  ann,t-1  then  bob,t-2 ...)
  --generate <count>       Generate users whose only field is {i}: 1, 2, ... count
                           (default, ${LIMITS.generate.default} users; from ${LIMITS.generate.min} to ${LIMITS.generate.max}).
                           Example: --generate 500 -H 'x-user: user-{i}' --expect 'user-{i}'

What each user sends (templates over the user's fields):
  -X, --method <method>    HTTP method (default GET).      Example: -X POST
  -H, --header <line>      A header, repeatable.           Example: -H 'authorization: Bearer {token}'
  -b, --body <text>        A request body.                 Example: -b '{"user": "{name}"}' -X POST
  -e, --expect <template>  The value the answer to this user must carry
                           (default {i} with --generate).  Example: -e '{name}'

How each answer is read (default: the whole body, trimmed):
  --json-path <path>       A field of a JSON answer.       Example: --json-path user.name
                                                            Example: --json-path '$.data[0].email'
  --regex <pattern>        A regular expression; its first group, or the whole match.
                                                            Example: --regex 'Signed in as (\\w+)'
  An answer carrying this user's value is successful; another user's, leaked; anything else
  (nothing read, a value no user expects) is unmatched and shown apart. Non-2xx answers,
  errors and timeouts count as failed.

How hard and how long (each run ends, in time and in count):
  -c, --connections <list> Concurrent connections, one run per count, to show how leaks grow
                           with concurrency (default ${LIMITS.connections.default.join(',')}; at most ${LIMITS.connections.max}).
                           Example: -c 1,5,25,100
  -d, --duration <s>       Seconds each run lasts (default ${LIMITS.durationSeconds.default}; at most ${LIMITS.durationSeconds.max}).
                           With --requests, the longest a run may take (default ${LIMITS.durationSeconds.withRequests}).
                           Example: -d 30
  -n, --requests <count>   Requests per run instead of a duration. Example: -n 10000
  -r, --rate <req/s>       At most this many requests a second, over all connections
                           (default: as fast as the server answers). Example: -r 200
  -w, --warmup <s>         Seconds of load before the first run, at the largest connection
                           count; a row of its own, and its leaks count (default ${LIMITS.warmupSeconds.default}).
                           Example: -w 5
  -t, --timeout <s>        Seconds one request may take, its whole answer included, before
                           it counts as failed (default ${LIMITS.timeoutSeconds.default}). An answer over 1 MiB
                           fails too. Example: -t 2

Output:
  --examples <count>       Leaked and unmatched answers shown in full (default ${LIMITS.examples.default}). Example: --examples 10
  --json                   Print the result as JSON on stdout, for machines; progress still
                           goes to stderr. Example: --json > probe.json
  -h, --help               This text.

Ctrl-C stops the load and still prints what was measured.

Exit codes:
  ${EXIT_CODES.noLeak}    no leak: every run ended and no checked answer carried another user's value
  ${EXIT_CODES.leaked}    at least one answer leaked (also when stopped by Ctrl-C)
  ${EXIT_CODES.badInput}    bad usage or input: options, identities, URL, rule, the open-file limit,
       a sample the server did not answer; found before any load
  ${EXIT_CODES.inconclusive}    no answer could be checked: every request failed, timed out or was too long
  ${EXIT_CODES.crashed}    the probe itself failed unexpectedly (a bug): stderr says where
  ${EXIT_CODES.interrupted}  stopped by Ctrl-C with no leak seen so far

Example, against a staging server in CI:
  npx current-attributes-probe https://staging.example.com/api/me \\
    -i test-users.csv -H 'authorization: Bearer {token}' --json-path user.email -e '{email}' \\
    -c 1,10,50 -d 20 -r 500
`;
