/**
 * Fleets past one machine: the per-database work of a fleet command queued as pg-boss jobs
 * on a central PostgreSQL, taken by `indexwise worker` processes anywhere, their results
 * written to a table in the same database. pg-boss does the scheduling, the locking
 * (SKIP LOCKED) and the retries of a job whose worker died (it expires and is retried);
 * this module only says what a job is and where its result goes. The only importer of pg-boss.
 */
import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { ConnectionError, oneLine } from '../errors.js';
import { type FleetMember, resolveUrlSpec } from './fleet-file.js';
import { schemaGroups } from './groups.js';
import { type FleetHealthOptions, type HealthJson, healthOfMember } from './health.js';
import type { FleetResult } from './result.js';
import { FLEET_DEFAULTS, runFleet } from './runner.js';

export const FLEET_QUEUE = 'indexwise-fleet';
/** pg-boss's own schema, and our tables next to it. */
const SCHEMA = 'indexwise_queue';

/** What one job carries: the member as the fleet file writes it (an `env:` URL is resolved by the worker). */
export interface FleetJob {
  readonly run: string;
  readonly command: 'health';
  readonly member: Omit<FleetMember, 'url'>;
  readonly options: Pick<FleetHealthOptions, 'checks' | 'skipChecks' | 'thresholds' | 'timeoutMs'>;
}

export interface QueueOptions {
  /** How often a worker looks for jobs a dead worker left active (pg-boss maintenance), seconds. */
  readonly maintenanceIntervalSeconds?: number;
}

const TABLES = `
CREATE TABLE IF NOT EXISTS ${SCHEMA}.runs (run text PRIMARY KEY, command text NOT NULL, members jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS ${SCHEMA}.results (
  run text NOT NULL, name text NOT NULL, ok boolean NOT NULL, error text, result jsonb, schema_fingerprint text,
  worker text NOT NULL, finished_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run, name));`;

export async function openQueue(url: string, options: QueueOptions = {}): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    schema: SCHEMA,
    application_name: 'indexwise worker',
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 10,
    max: 4,
  });
  boss.on('error', () => {});
  try {
    await boss.start();
  } catch (error) {
    throw new ConnectionError(`cannot open the job queue: ${oneLine(error)}`, { cause: error });
  }
  await boss.createQueue(FLEET_QUEUE);
  await boss.getDb().executeSql(TABLES, []);
  return boss;
}

/** Queues one job per member; returns the run's id for `fleet status`. */
export async function enqueueHealth(boss: PgBoss, members: readonly FleetMember[], options: FleetJob['options']): Promise<string> {
  const run = randomUUID();
  await boss
    .getDb()
    .executeSql(`INSERT INTO ${SCHEMA}.runs (run, command, members) VALUES ($1, 'health', $2)`, [
      run,
      JSON.stringify(members.map((m) => m.name)),
    ]);
  // a job outlives its database's timeout by a margin; then pg-boss takes it as lost and retries it
  const expireInSeconds = Math.ceil((options.timeoutMs || FLEET_DEFAULTS.timeoutMs) / 1000) + 5;
  await boss.insert(
    members.map((m) => {
      const { url: _url, ...member } = m;
      const data: FleetJob = { run, command: 'health', member, options };
      return { name: FLEET_QUEUE, data, retryLimit: 3, retryDelay: 0, expireInSeconds };
    }),
  );
  return run;
}

/** One job: the member's health, written to the results table (a database that fails is a result too). */
async function runJob(boss: PgBoss, job: FleetJob, worker: string): Promise<void> {
  const member: FleetMember = { ...job.member, url: resolveUrlSpec(job.member.urlSpec) };
  const [outcome] = await runFleet([member], (m, signal) => healthOfMember(m, signal, job.options), { timeoutMs: job.options.timeoutMs });
  await boss.getDb().executeSql(
    `INSERT INTO ${SCHEMA}.results (run, name, ok, error, result, schema_fingerprint, worker) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (run, name) DO UPDATE SET ok = EXCLUDED.ok, error = EXCLUDED.error, result = EXCLUDED.result,
       schema_fingerprint = EXCLUDED.schema_fingerprint, worker = EXCLUDED.worker, finished_at = now()`,
    [
      job.run,
      member.name,
      outcome?.ok ?? false,
      outcome?.error ?? null,
      outcome?.result ? JSON.stringify(outcome.result.result) : null,
      outcome?.result?.schemaFingerprint ?? null,
      worker,
    ],
  );
}

/** Takes jobs until stopped: `concurrency` at a time. Returns a function that stops it. */
export async function startWorker(
  boss: PgBoss,
  options: { concurrency?: number; onJob?: (job: FleetJob, phase: 'taking' | 'done') => void } = {},
): Promise<() => Promise<void>> {
  const worker = `${process.pid}@${(await import('node:os')).hostname()}`;
  for (let i = 0; i < Math.max(1, options.concurrency ?? 1); i++) {
    await boss.work<FleetJob>(FLEET_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
      if (job === undefined) return;
      options.onJob?.(job.data, 'taking');
      await runJob(boss, job.data, worker);
      options.onJob?.(job.data, 'done');
    });
  }
  return () => boss.stop({ graceful: true, wait: true });
}

export interface RunStatus {
  readonly run: string;
  readonly command: string;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly pending: readonly string[];
  /** Jobs pg-boss retried (their worker died or they failed). */
  readonly retried: number;
  readonly result: FleetResult<HealthJson>;
}

interface ResultRow {
  name: string;
  ok: boolean;
  error: string | null;
  result: HealthJson | null;
  schema_fingerprint: string | null;
}

/** Where a run stands, and its `{ databases, groups }` so far (databases in the fleet file's order). */
export async function runStatus(boss: PgBoss, run?: string): Promise<RunStatus | null> {
  const db = boss.getDb();
  const { rows: runs } = await db.executeSql(
    `SELECT run, command, members FROM ${SCHEMA}.runs WHERE $1::text IS NULL OR run = $1 ORDER BY created_at DESC LIMIT 1`,
    [run ?? null],
  );
  const found = runs[0] as { run: string; command: string; members: string[] } | undefined;
  if (found === undefined) return null;
  const { rows } = await db.executeSql(`SELECT name, ok, error, result, schema_fingerprint FROM ${SCHEMA}.results WHERE run = $1`, [
    found.run,
  ]);
  const byName = new Map((rows as ResultRow[]).map((r) => [r.name, r]));
  const { rows: retries } = await db.executeSql(
    `SELECT count(*)::int AS n FROM (SELECT retry_count FROM ${SCHEMA}.job WHERE data->>'run' = $1 AND retry_count > 0
       UNION ALL SELECT retry_count FROM ${SCHEMA}.archive WHERE data->>'run' = $1 AND retry_count > 0) r`,
    [found.run],
  );
  const finished = found.members.filter((n) => byName.has(n));
  const databases = finished.map((name) => {
    const r = byName.get(name) as ResultRow;
    return r.ok ? { name, ok: true, result: r.result as HealthJson } : { name, ok: false, error: r.error ?? 'failed' };
  });
  const fingerprints = finished.map((name) => ({ name, fingerprint: byName.get(name)?.schema_fingerprint ?? null }));
  return {
    run: found.run,
    command: found.command,
    total: found.members.length,
    done: finished.length,
    failed: databases.filter((d) => !d.ok).length,
    pending: found.members.filter((n) => !byName.has(n)),
    retried: (retries[0] as { n: number } | undefined)?.n ?? 0,
    result: { databases, groups: schemaGroups(fingerprints) },
  };
}
