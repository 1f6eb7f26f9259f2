/**
 * `--from` specifications → one Workload. Sources are read one after the other
 * into the same collector, so several `--from` combine.
 */
import { loadParser } from '../analysis/parse.js';
import type { Engine } from '../engines/engine.js';
import { InputError } from '../errors.js';
import type { LogFileSummary, Workload } from '../model/workload.js';
import { WorkloadCollector } from './collector.js';
import { type LogFormat, readLogStatements } from './sources/log-file.js';
import { sampleActivity } from './sources/pg-stat-activity.js';
import { readPgStatStatements } from './sources/pg-stat-statements.js';
import { readSqlText, sqlStatements } from './sources/sql-file.js';

export type SourceSpec =
  | { readonly kind: 'pg_stat_statements' }
  | { readonly kind: 'pg_stat_activity' }
  | { readonly kind: 'log'; readonly path: string }
  | { readonly kind: 'sql'; readonly path: string };

export function parseSourceSpec(text: string): SourceSpec {
  const spec = text.trim();
  if (spec === 'pg_stat_statements' || spec === 'pgss') return { kind: 'pg_stat_statements' };
  if (spec === 'pg_stat_activity') return { kind: 'pg_stat_activity' };
  if (spec === '-') return { kind: 'sql', path: '-' };
  const match = /^(log|sql):(.+)$/.exec(spec);
  if (match) return { kind: match[1] as 'log' | 'sql', path: match[2] as string };
  throw new InputError(`unknown workload source "${spec}": use pg_stat_statements, pg_stat_activity, log:FILE, sql:FILE or - (stdin)`);
}

export interface CollectOptions {
  readonly minCalls?: number;
  readonly minTimeMs?: number;
  readonly logFormat?: LogFormat;
  /** A text log's log_line_prefix (`--log-prefix`). */
  readonly logPrefix?: string;
  readonly logDatabase?: string;
  readonly logUser?: string;
  readonly logApplication?: string;
  /** pg_stat_activity: how long to sample, in milliseconds. */
  readonly sampleMs?: number;
  readonly stdin?: NodeJS.ReadableStream;
  readonly onProgress?: (event: CollectProgress) => void;
}

export type CollectProgress =
  | { readonly kind: 'source'; readonly source: string }
  | { readonly kind: 'bytes'; readonly done: number; readonly total: number }
  | { readonly kind: 'sampling'; readonly elapsedMs: number; readonly totalMs: number };

/** The default source when none is given: pg_stat_statements where it is available. */
export async function defaultSources(engine: Engine | null): Promise<SourceSpec[]> {
  if (engine !== null && (await engine.info()).capabilities.statStatements) return [{ kind: 'pg_stat_statements' }];
  throw new InputError(
    'no workload given and pg_stat_statements is not available here: pass --from sql:FILE, --from log:FILE or --from pg_stat_activity',
  );
}

/** The given sources, or the default one when none is given; returns the sources used too. */
export async function collectFrom(
  engine: Engine | null,
  specs: readonly SourceSpec[],
  options: CollectOptions = {},
): Promise<{ workload: Workload; specs: SourceSpec[] }> {
  const used = specs.length > 0 ? [...specs] : await defaultSources(engine);
  return { workload: await collectWorkload(engine, used, options), specs: used };
}

export function describeSource(spec: SourceSpec): string {
  return spec.kind === 'log' || spec.kind === 'sql' ? `${spec.kind}:${spec.path}` : spec.kind;
}

export async function collectWorkload(
  engine: Engine | null,
  specs: readonly SourceSpec[],
  options: CollectOptions = {},
): Promise<Workload> {
  await loadParser();
  const collector = new WorkloadCollector();
  const logs: LogFileSummary[] = [];
  for (const spec of specs) {
    options.onProgress?.({ kind: 'source', source: spec.kind === 'log' || spec.kind === 'sql' ? `${spec.kind}:${spec.path}` : spec.kind });
    for await (const statement of readSource(engine, spec, options, logs)) collector.add(statement);
  }
  const workload = filterWorkload(collector.result(), options);
  return logs.length === 0 ? workload : { ...workload, logs };
}

async function* readSource(engine: Engine | null, spec: SourceSpec, options: CollectOptions, logs: LogFileSummary[]) {
  switch (spec.kind) {
    case 'pg_stat_statements':
      yield* await readPgStatStatements(await needStatisticsViews(engine, spec.kind), {
        minCalls: options.minCalls,
        minTimeMs: options.minTimeMs,
      });
      return;
    case 'pg_stat_activity': {
      const durationMs = options.sampleMs ?? 10_000;
      yield* await sampleActivity(await needStatisticsViews(engine, spec.kind), {
        durationMs,
        onProgress: (elapsedMs) => options.onProgress?.({ kind: 'sampling', elapsedMs, totalMs: durationMs }),
      });
      return;
    }
    case 'sql': {
      const text = await readSqlText(spec.path, options.stdin);
      yield* sqlStatements(text, spec.path === '-' ? 'sql:stdin' : `sql:${spec.path}`);
      return;
    }
    case 'log':
      yield* readLogStatements(spec.path, {
        format: options.logFormat,
        prefix: options.logPrefix,
        database: options.logDatabase,
        user: options.logUser,
        application: options.logApplication,
        onProgress: (done, total) => options.onProgress?.({ kind: 'bytes', done, total }),
        onSummary: (summary) => logs.push(summary),
      });
  }
}

/** pg_stat_statements and pg_stat_activity are PostgreSQL's statistics views. */
async function needStatisticsViews(engine: Engine | null, source: string): Promise<Engine> {
  if (engine === null || !(await engine.info()).capabilities.statisticsViews)
    throw new InputError(`--from ${source} needs a PostgreSQL database (--db)`);
  return engine;
}

/** --min-calls and --min-time apply to every source (pg_stat_statements also filters in SQL). */
function filterWorkload(workload: Workload, options: CollectOptions): Workload {
  const minCalls = options.minCalls ?? 0;
  const minTime = options.minTimeMs ?? 0;
  if (minCalls <= 0 && minTime <= 0) return workload;
  return { ...workload, queries: workload.queries.filter((q) => q.calls >= minCalls && (!workload.timed || q.totalTimeMs >= minTime)) };
}

/** A workload from SQL text (the `sql:` source without the file). */
export async function workloadFromSql(text: string, source = 'sql:text'): Promise<Workload> {
  await loadParser();
  const collector = new WorkloadCollector();
  for (const statement of sqlStatements(text, source)) collector.add(statement);
  return collector.result();
}
