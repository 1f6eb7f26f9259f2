/**
 * Fleets past one machine: the per-database work of a fleet command queued as pg-boss jobs
 * on a central PostgreSQL, taken by `indexwise worker` processes anywhere, their results
 * written to a table in the same database. pg-boss does the scheduling, the locking
 * (SKIP LOCKED) and the retries of a job whose worker died (it expires and is retried);
 * this module only says what a job is and where its result goes. The only importer of pg-boss.
 *
 * A queued `advise` has two steps, as in-process: one job per member (its own advice, and
 * its workload kept for its group), then, once every member is done, one job per schema
 * group (the merged workload costed on the biggest member), queued by the worker that
 * finishes the last member (a singleton key per group and hour: two workers finishing at once
 * queue it once; were it queued twice, its result is written twice, the same).
 */
import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { ConnectionError, oneLine } from '../errors.js';
import { type FleetMember, resolveUrlSpec } from './fleet-file.js';
import { type AdvisedMember, adviseGroup, adviseMember, type FleetAdviseOptions, type GroupAdvice } from './advise.js';
import { type SchemaGroup, schemaGroups } from './groups.js';
import type { AdviceReport } from '../model/recommendation.js';
import { type FleetHealthOptions, healthOfMember } from './health.js';
import type { FleetResult } from './result.js';
import { FLEET_DEFAULTS, runFleet } from './runner.js';

export const FLEET_QUEUE = 'indexwise-fleet';
/** pg-boss's own schema, and our tables next to it. */
const SCHEMA = 'indexwise_queue';

export const QUEUED_COMMANDS = ['health', 'advise'] as const;
export type QueuedCommand = (typeof QUEUED_COMMANDS)[number];

export type QueuedHealthOptions = Pick<FleetHealthOptions, 'checks' | 'skipChecks' | 'thresholds' | 'timeoutMs'>;
export type QueuedAdviseOptions = Pick<FleetAdviseOptions, 'advise' | 'from' | 'collect' | 'timeoutMs'>;

/** What one job carries: the member as the fleet file writes it (an `env:` URL is resolved by the worker). */
export type FleetJob =
  | { readonly run: string; readonly command: 'health'; readonly member: QueuedMember; readonly options: QueuedHealthOptions }
  | { readonly run: string; readonly command: 'advise'; readonly member: QueuedMember; readonly options: QueuedAdviseOptions }
  /** advise's second step: a schema group's advice (members, options and results are read from the run's tables). */
  | { readonly run: string; readonly command: 'advise-group'; readonly group: SchemaGroup; readonly options: QueuedAdviseOptions };

type QueuedMember = Omit<FleetMember, 'url'>;

export interface QueueOptions {
  /** How often a worker looks for jobs a dead worker left active (pg-boss maintenance), seconds. */
  readonly maintenanceIntervalSeconds?: number;
}

const TABLES = `
CREATE TABLE IF NOT EXISTS ${SCHEMA}.runs (run text PRIMARY KEY, command text NOT NULL, members jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS ${SCHEMA}.results (
  run text NOT NULL, name text NOT NULL, ok boolean NOT NULL, error text, result jsonb, schema_fingerprint text,
  worker text NOT NULL, finished_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run, name));
ALTER TABLE ${SCHEMA}.runs ADD COLUMN IF NOT EXISTS specs jsonb;
ALTER TABLE ${SCHEMA}.results ADD COLUMN IF NOT EXISTS workload jsonb, ADD COLUMN IF NOT EXISTS bytes bigint;
CREATE TABLE IF NOT EXISTS ${SCHEMA}.group_results (
  run text NOT NULL, name text NOT NULL, ok boolean NOT NULL, error text, advice jsonb,
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

const expiry = (timeoutMs: number | undefined) => Math.ceil((timeoutMs || FLEET_DEFAULTS.timeoutMs) / 1000) + 5;

async function enqueue<C extends QueuedCommand>(
  boss: PgBoss,
  command: C,
  members: readonly FleetMember[],
  options: C extends 'health' ? QueuedHealthOptions : QueuedAdviseOptions,
): Promise<string> {
  const run = randomUUID();
  const specs = members.map(({ url: _url, ...member }) => member);
  await boss
    .getDb()
    .executeSql(`INSERT INTO ${SCHEMA}.runs (run, command, members, specs) VALUES ($1, $2, $3, $4)`, [
      run,
      command,
      JSON.stringify(members.map((m) => m.name)),
      JSON.stringify(specs),
    ]);
  // a job outlives its database's timeout by a margin; then pg-boss takes it as lost and retries it
  const expireInSeconds = expiry(options.timeoutMs);
  await boss.insert(
    specs.map((member) => {
      const data = { run, command, member, options } as FleetJob;
      return { name: FLEET_QUEUE, data, retryLimit: 3, retryDelay: 0, expireInSeconds };
    }),
  );
  return run;
}

/** Queues one health job per member; returns the run's id for `fleet status`. */
export function enqueueHealth(boss: PgBoss, members: readonly FleetMember[], options: QueuedHealthOptions): Promise<string> {
  return enqueue(boss, 'health', members, options);
}

/** Queues one advise job per member (their groups' jobs follow); returns the run's id. */
export function enqueueAdvise(boss: PgBoss, members: readonly FleetMember[], options: QueuedAdviseOptions): Promise<string> {
  return enqueue(boss, 'advise', members, options);
}

const resolved = (member: QueuedMember): FleetMember => ({ ...member, url: resolveUrlSpec(member.urlSpec) });

/** One member's job: its health or its own advice, written to the results table (a database that fails is a result too). */
async function runMemberJob(boss: PgBoss, job: Extract<FleetJob, { member: unknown }>, worker: string): Promise<void> {
  const member = resolved(job.member);
  const [outcome] =
    job.command === 'health'
      ? await runFleet([member], (m, signal) => healthOfMember(m, signal, job.options), { timeoutMs: job.options.timeoutMs })
      : await runFleet([member], (m, signal) => adviseMember(m, signal, job.options), { timeoutMs: job.options.timeoutMs });
  const advised = outcome?.result && 'workload' in outcome.result ? outcome.result : undefined;
  await boss.getDb().executeSql(
    `INSERT INTO ${SCHEMA}.results (run, name, ok, error, result, schema_fingerprint, worker, workload, bytes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (run, name) DO UPDATE SET ok = EXCLUDED.ok, error = EXCLUDED.error, result = EXCLUDED.result,
       schema_fingerprint = EXCLUDED.schema_fingerprint, worker = EXCLUDED.worker, finished_at = now(),
       workload = EXCLUDED.workload, bytes = EXCLUDED.bytes`,
    [
      job.run,
      member.name,
      outcome?.ok ?? false,
      outcome?.error ?? null,
      outcome?.result ? JSON.stringify(outcome.result.result) : null,
      outcome?.result?.schemaFingerprint ?? null,
      worker,
      advised ? JSON.stringify(advised.workload) : null,
      advised?.bytes ?? null,
    ],
  );
  if (job.command === 'advise') await queueGroups(boss, job.run, job.options);
}

interface ResultRow {
  name: string;
  ok: boolean;
  error: string | null;
  result: unknown;
  schema_fingerprint: string | null;
  workload: AdvisedMember['workload'] | null;
  bytes: string | null;
}

interface RunRow {
  run: string;
  command: string;
  members: string[];
  specs: QueuedMember[] | null;
}

async function runRow(boss: PgBoss, run: string | null): Promise<RunRow | undefined> {
  const { rows } = await boss
    .getDb()
    .executeSql(
      `SELECT run, command, members, specs FROM ${SCHEMA}.runs WHERE $1::text IS NULL OR run = $1 ORDER BY created_at DESC LIMIT 1`,
      [run],
    );
  return rows[0] as RunRow | undefined;
}

async function resultRows(boss: PgBoss, run: string): Promise<Map<string, ResultRow>> {
  const { rows } = await boss
    .getDb()
    .executeSql(`SELECT name, ok, error, result, schema_fingerprint, workload, bytes FROM ${SCHEMA}.results WHERE run = $1`, [run]);
  return new Map((rows as ResultRow[]).map((r) => [r.name, r]));
}

/** The run's schema groups, once every member has a result (members in fleet order). */
function groupsOf(found: RunRow, byName: ReadonlyMap<string, ResultRow>): SchemaGroup[] {
  return schemaGroups(found.members.map((name) => ({ name, fingerprint: byName.get(name)?.schema_fingerprint ?? null })));
}

/** After a member of an advise run: when none is left, one job per schema group. */
async function queueGroups(boss: PgBoss, run: string, options: QueuedAdviseOptions): Promise<void> {
  const found = await runRow(boss, run);
  if (found === undefined) return;
  const byName = await resultRows(boss, run);
  if (found.members.some((n) => !byName.has(n))) return;
  for (const group of groupsOf(found, byName)) {
    const data: FleetJob = { run, command: 'advise-group', group, options };
    await boss.send(FLEET_QUEUE, data, {
      singletonKey: `${run}/${group.name}`,
      singletonSeconds: 3600,
      retryLimit: 3,
      retryDelay: 0,
      expireInSeconds: expiry(options.timeoutMs),
    });
  }
}

/** advise's second step: the group's merged workload costed on its biggest member, written to group_results. */
async function runGroupJob(boss: PgBoss, job: Extract<FleetJob, { command: 'advise-group' }>, worker: string): Promise<void> {
  const found = await runRow(boss, job.run);
  const byName = await resultRows(boss, job.run);
  const members = (found?.specs ?? []).map(resolved);
  const advised = new Map(
    job.group.members.map((name) => {
      const r = byName.get(name) as ResultRow;
      return [
        name,
        {
          result: r.result as AdviceReport,
          schemaFingerprint: job.group.schemaFingerprint,
          workload: r.workload,
          bytes: Number(r.bytes),
        } as AdvisedMember,
      ];
    }),
  );
  const [outcome] = await runFleet([job.group], (g, signal) => adviseGroup(g, advised, members, job.options, signal), {
    timeoutMs: job.options.timeoutMs,
  });
  await boss.getDb().executeSql(
    `INSERT INTO ${SCHEMA}.group_results (run, name, ok, error, advice, worker) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (run, name) DO UPDATE SET ok = EXCLUDED.ok, error = EXCLUDED.error, advice = EXCLUDED.advice, worker = EXCLUDED.worker, finished_at = now()`,
    [
      job.run,
      job.group.name,
      outcome?.ok ?? false,
      outcome?.error ?? null,
      outcome?.result ? JSON.stringify(outcome.result) : null,
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
      if (job.data.command === 'advise-group') await runGroupJob(boss, job.data, worker);
      else await runMemberJob(boss, job.data, worker);
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
  /** Members not done yet; for advise, then the schema groups whose advice is not done. */
  readonly pending: readonly string[];
  /** Jobs pg-boss retried (their worker died or they failed). */
  readonly retried: number;
  readonly result: FleetResult<unknown, GroupAdvice | { readonly error: string }>;
}

interface GroupRow {
  name: string;
  ok: boolean;
  error: string | null;
  advice: GroupAdvice | null;
}

async function groupAdvice(boss: PgBoss, run: string): Promise<Map<string, GroupAdvice | { error: string }>> {
  const { rows } = await boss.getDb().executeSql(`SELECT name, ok, error, advice FROM ${SCHEMA}.group_results WHERE run = $1`, [run]);
  return new Map((rows as GroupRow[]).map((g) => [g.name, g.ok && g.advice ? g.advice : { error: g.error ?? 'failed' }]));
}

/** Where a run stands, and its `{ databases, groups }` so far (databases in the fleet file's order). */
export async function runStatus(boss: PgBoss, run?: string): Promise<RunStatus | null> {
  const found = await runRow(boss, run ?? null);
  if (found === undefined) return null;
  const byName = await resultRows(boss, found.run);
  const { rows: retries } = await boss.getDb().executeSql(
    `SELECT count(*)::int AS n FROM (SELECT retry_count FROM ${SCHEMA}.job WHERE data->>'run' = $1 AND retry_count > 0
       UNION ALL SELECT retry_count FROM ${SCHEMA}.archive WHERE data->>'run' = $1 AND retry_count > 0) r`,
    [found.run],
  );
  const finished = found.members.filter((n) => byName.has(n));
  const databases = finished.map((name) => {
    const r = byName.get(name) as ResultRow;
    return r.ok ? { name, ok: true, result: r.result } : { name, ok: false, error: r.error ?? 'failed' };
  });
  const pending = found.members.filter((n) => !byName.has(n));
  let groups: RunStatus['result']['groups'] = schemaGroups(
    finished.map((name) => ({ name, fingerprint: byName.get(name)?.schema_fingerprint ?? null })),
  );
  if (found.command === 'advise' && pending.length === 0) {
    const advice = await groupAdvice(boss, found.run);
    groups = groupsOf(found, byName).map((g) => (advice.has(g.name) ? { ...g, advice: advice.get(g.name) } : g));
    pending.push(...groups.filter((g) => !advice.has(g.name)).map((g) => g.name));
  }
  return {
    run: found.run,
    command: found.command,
    total: found.members.length,
    done: finished.length,
    failed: databases.filter((d) => !d.ok).length,
    pending,
    retried: (retries[0] as { n: number } | undefined)?.n ?? 0,
    result: { databases, groups },
  };
}
