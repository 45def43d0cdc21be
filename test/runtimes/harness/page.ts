import { HANDLED_DIFFERENCES, KNOWN_DIFFERENCES, type KnownDifference } from '../differences.js';
import { allProbes } from '../probes/index.js';
import type { ProbeResult } from '../probes/run-probes.js';
import { ABOUT, AFTER } from './page-text.js';
import { type AppVerdict, appVerdict, type RuntimeRun, type RuntimesResults } from './results.js';
import type { SuitesResults, SuitesRun } from './suites.js';
import { UPSTREAM } from './upstream.js';

const LABELS: Record<string, string> = { node: 'Node', bun: 'Bun', deno: 'Deno', workerd: 'workerd' };
const APP_TITLES: Record<string, string> = {
  hono: 'Hono with `current-attributes/hono` and `globalLock` on the runtime’s own server (`@hono/node-server` on Node, `Bun.serve`, `Deno.serve`, a Worker)',
  'hono-node-server': 'the same Hono app on `@hono/node-server` (the runtime’s node:http)',
  http: 'node:http with `withCurrent` and `globalLock`',
  express: 'Express 5 with `currentMiddleware` and `globalLock`',
  koa: 'Koa 3 with `currentMiddleware` and `globalLock`',
  fastify: 'Fastify 5 with `fastifyCurrent` and `globalLock`',
};

const bold = (text: string, verdict: string) => (verdict === 'ok' ? text : `**${text}**`);
const cellText = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function appCell(run: RuntimeRun, app: string, amount: number): string {
  const result = run.apps.find((candidate) => candidate.app === app);
  if (result === undefined) {
    if (run.runtime === 'workerd') return 'not applicable: a Worker answers with a fetch handler';
    return run.runtime === 'node' && app === 'hono-node-server' ? 'the row above' : 'not run';
  }
  const verdict: AppVerdict = appVerdict(result);
  if ('error' in result)
    return `**unsupported**: ${cellText(result.error.split('\n').slice(0, 2).join(' ').slice(0, 160))}`;
  const { ok, lost, wrong, failed, overlaps } = result.reads;
  const detail =
    verdict === 'ok'
      ? `${ok}/${2 * amount}`
      : `ok ${ok}, lost ${lost}, wrong ${wrong}, failed ${failed}, two holders ${overlaps}`;
  return bold(`${verdict} ${detail}`, verdict);
}

function probeCell(run: RuntimeRun, id: string): string {
  if ('error' in run.probes) return 'not run';
  const result: ProbeResult | undefined = run.probes.find((candidate) => candidate.id === id);
  if (result === undefined) return 'not run';
  if (result.verdict === 'unsupported')
    return `unsupported${result.note ? `: ${cellText(result.note.slice(0, 90))}` : ''}`;
  const { ok, lost, wrong } = result.reads;
  return bold(
    result.verdict === 'ok' ? `ok ${ok}/${ok}` : `${result.verdict} (ok ${ok}, lost ${lost}, wrong ${wrong})`,
    result.verdict,
  );
}

/** `owner/repo#12` or `owner/repo PR #12` for a GitHub address, linked. */
function upstreamLink(url: string): string {
  const match = /^https:\/\/github\.com\/([^/]+\/[^/]+)\/(issues|pull)\/(\d+)$/.exec(url);
  if (match === null) return url;
  return `[${match[1]}${match[2] === 'pull' ? ' PR #' : '#'}${match[3]}](${url})`;
}

function differenceLine({ runtime, difference, upstream, handling }: KnownDifference): string {
  return `- ${LABELS[runtime]}: ${difference} (${upstreamLink(upstream)}). ${handling}.`;
}

/** The suites' rows: each contract suite file on its own, the other folders each in one row. */
function suiteRows(suites: SuitesResults): string[] {
  const groupOf = (file: string) => (file.startsWith('test/adapters/contract/') ? file : file.replace(/\/[^/]+$/, '/'));
  const groups = [...new Set(suites.runs.flatMap((run) => run.files.map((file) => groupOf(file.file))))];
  const cell = (run: SuitesRun, group: string) => {
    const files = run.files.filter((file) => groupOf(file.file) === group);
    if (files.length === 0) return 'not run';
    const sum = (key: 'passed' | 'failed' | 'skipped') => files.reduce((total, file) => total + file[key], 0);
    const parts = [`${sum('passed')} passed`];
    if (sum('failed') > 0) parts.push(`**${sum('failed')} failed**`);
    if (sum('skipped') > 0) parts.push(`**${sum('skipped')} skipped**`);
    return parts.join(', ');
  };
  return groups.map((group) => {
    const count = Math.max(
      ...suites.runs.map((run) => run.files.filter((file) => groupOf(file.file) === group).length),
    );
    const title = group.endsWith('/') ? `\`${group}\` (${count} files)` : `\`${group}\``;
    return `| ${title} | ${suites.runs.map((run) => cell(run, group)).join(' | ')} |`;
  });
}

function suitesSection(suites: SuitesResults | undefined): string[] {
  const intro =
    'Besides the apps and the context-loss suite, `npm run runtimes:suites` (CI runs it in `.ci/runtime-suites`) runs vitest itself inside Bun (`bun --bun`) and Deno (`deno run -A`), from the same installs: the adapter contract suite (test/adapters/contract: Express, Fastify, Koa, Hono on `@hono/node-server`, node:http, NestJS on Express and on Fastify, each on real sockets of 127.0.0.1), the Hono adapter on the runtime’s own server (test/adapters/hono/web-*: `Bun.serve` or `Deno.serve`, `app.request()`, scopes, locks and propagation on the web-standard path), the core (test/core), the in-process and Redis locks (test/lock, against a redis-server of their own) and the race-testing kit (test/testing). A test that cannot pass on a runtime is skipped there by name, for one of the differences below, each with its upstream report (test/runtimes/differences.ts); the run fails on any other skip or failure.';
  const differences = [
    ...Object.values(KNOWN_DIFFERENCES).map((difference) => differenceLine(difference)),
    ...HANDLED_DIFFERENCES.map((difference) => differenceLine(difference)),
  ];
  const table =
    suites === undefined
      ? ['No run of `npm run runtimes:suites` to publish yet.']
      : [
          `Run finished ${suites.finishedAt.slice(0, 16).replace('T', ' ')} UTC, both runtimes at once on two cores: ${suites.runs.map((run) => `${LABELS[run.runtime]} in ${run.seconds} s`).join(', ')}.`,
          '',
          `| suite | ${suites.runs.map((run) => `${LABELS[run.runtime]} ${run.version}`).join(' | ')} |`,
          `| --- |${suites.runs.map(() => ' --- |').join('')}`,
          ...suiteRows(suites),
        ];
  return [
    '## The vitest suites inside Bun and Deno',
    '',
    intro,
    '',
    ...table,
    '',
    '### Where Bun and Deno differ from Node',
    '',
    ...differences,
    '',
  ];
}

/** docs/runtimes.md from one run of `npm run runtimes`, and one of `npm run runtimes:suites` if there is one. */
export function renderPage(results: RuntimesResults, suites?: SuitesResults): string {
  const runs = results.runs;
  const head = (first: string) =>
    `| ${first} | ${runs.map((run) => `${LABELS[run.runtime]} ${run.version}`).join(' | ')} |\n| --- |${runs.map(() => ' --- |').join('')}`;
  const apps = Object.keys(APP_TITLES).map(
    (app) => `| ${APP_TITLES[app]} | ${runs.map((run) => appCell(run, app, results.amount)).join(' | ')} |`,
  );
  const probes = allProbes.map(
    (probe) =>
      `| ${probe.title} (\`${probe.id}\`, ${probe.group}) | ${runs.map((run) => probeCell(run, probe.id)).join(' | ')} |`,
  );
  const known: string[] = [];
  for (const run of runs) {
    if ('error' in run.probes) continue;
    for (const result of run.probes) {
      const note = UPSTREAM[run.runtime]?.[result.id];
      if (result.verdict !== 'ok' && note !== undefined)
        known.push(`- ${LABELS[run.runtime]}, \`${result.id}\` (${result.verdict}): ${note}.`);
    }
  }
  const finished = results.finishedAt.slice(0, 16).replace('T', ' ');
  return [
    '# Runtimes: Node, Bun, Deno and Cloudflare Workers',
    '',
    '<!-- Generated by `npm run runtimes:docs` from the latest `npm run runtimes` run. Do not edit by hand. -->',
    '',
    ABOUT,
    '',
    `## The apps: ${results.amount} concurrent requests per route`,
    '',
    `Run finished ${finished} UTC. Each app (test/runtimes/apps) answers \`/read\` with the user its request set, after a timer, and \`/locked\` from inside one \`globalLock\` that counts its holders. Each cell counts both routes: **ok** means every request read its own user and the lock never had two holders; **wrong** that a request read another's user or two held the lock; **lost** that a request read no user; **failed** that a request got no answer or an error status.`,
    '',
    head('app'),
    ...apps,
    '',
    '## The context-loss suite',
    '',
    'Each probe runs in eight scopes at once (fewer for threads and processes) and reads `Current` where the runtime resumes the code: **ok** every scope read its own value, **lost** some read nothing, **wrong** some read another scope’s value, **unsupported** the runtime lacks the API.',
    '',
    head('probe'),
    ...probes,
    '',
    '## Known upstream bugs this run hit',
    '',
    ...(known.length === 0 ? ['None.'] : known),
    '',
    ...suitesSection(suites),
    AFTER,
    '',
  ].join('\n');
}
