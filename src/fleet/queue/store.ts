/** The run's rows in the central store: the run itself, each member's result, each group's advice. */
import type { MemberOutcome } from '../runner.js';
import type { MemberRun } from '../result.js';
import type { Workload } from '../../model/workload.js';
import { type Queue, SCHEMA } from './connection.js';
import type { Kept, QueuedMember } from './job.js';

export interface RunRow {
  readonly run: string;
  readonly command: string;
  /** Member names in the fleet file's order. */
  readonly members: readonly string[];
  readonly specs: readonly QueuedMember[] | null;
}

export interface ResultRow {
  readonly name: string;
  readonly ok: boolean;
  readonly error: string | null;
  readonly result: unknown;
  readonly schema_fingerprint: string | null;
  readonly workload: Workload | null;
  readonly bytes: string | null;
  readonly worker: string;
}

export async function insertRun(queue: Queue, run: string, command: string, specs: readonly QueuedMember[]): Promise<void> {
  await queue.sql(`INSERT INTO ${SCHEMA}.runs (run, command, members, specs) VALUES ($1, $2, $3, $4)`, [
    run,
    command,
    JSON.stringify(specs.map((m) => m.name)),
    JSON.stringify(specs),
  ]);
}

/** The run `run` names, or the latest. */
export async function runRow(queue: Queue, run: string | null): Promise<RunRow | undefined> {
  const rows = await queue.sql<RunRow>(
    `SELECT run, command, members, specs FROM ${SCHEMA}.runs WHERE $1::text IS NULL OR run = $1 ORDER BY created_at DESC LIMIT 1`,
    [run],
  );
  return rows[0];
}

/** A member's outcome (a database that fails is a result too); written again if a retried job finishes twice. */
export async function writeResult(
  queue: Queue,
  run: string,
  outcome: MemberOutcome<MemberRun<unknown> & Kept> | undefined,
  name: string,
  worker: string,
): Promise<void> {
  const kept = outcome?.result;
  await queue.sql(
    `INSERT INTO ${SCHEMA}.results (run, name, ok, error, result, schema_fingerprint, worker, workload, bytes, page)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (run, name) DO UPDATE SET ok = EXCLUDED.ok, error = EXCLUDED.error, result = EXCLUDED.result,
       schema_fingerprint = EXCLUDED.schema_fingerprint, worker = EXCLUDED.worker, finished_at = now(),
       workload = EXCLUDED.workload, bytes = EXCLUDED.bytes, page = EXCLUDED.page`,
    [
      run,
      name,
      outcome?.ok ?? false,
      outcome?.error ?? null,
      kept ? JSON.stringify(kept.result) : null,
      kept?.schemaFingerprint ?? null,
      worker,
      kept?.workload ? JSON.stringify(kept.workload) : null,
      kept?.bytes ?? null,
      kept?.html ?? null,
    ],
  );
}

export async function resultRows(queue: Queue, run: string): Promise<Map<string, ResultRow>> {
  const rows = await queue.sql<ResultRow>(
    `SELECT name, ok, error, result, schema_fingerprint, workload, bytes, worker FROM ${SCHEMA}.results WHERE run = $1`,
    [run],
  );
  return new Map(rows.map((r) => [r.name, r]));
}

/** The pages a queued report's members rendered, by member name. */
export async function resultPages(queue: Queue, run: string): Promise<Map<string, string>> {
  const rows = await queue.sql<{ name: string; page: string }>(
    `SELECT name, page FROM ${SCHEMA}.results WHERE run = $1 AND page IS NOT NULL`,
    [run],
  );
  return new Map(rows.map((r) => [r.name, r.page]));
}

export interface GroupRow {
  readonly name: string;
  readonly ok: boolean;
  readonly error: string | null;
  readonly advice: unknown;
}

export async function writeGroupResult(queue: Queue, run: string, outcome: MemberOutcome<unknown>, worker: string): Promise<void> {
  await queue.sql(
    `INSERT INTO ${SCHEMA}.group_results (run, name, ok, error, advice, worker) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (run, name) DO UPDATE SET ok = EXCLUDED.ok, error = EXCLUDED.error, advice = EXCLUDED.advice, worker = EXCLUDED.worker, finished_at = now()`,
    [run, outcome.name, outcome.ok, outcome.error ?? null, outcome.result ? JSON.stringify(outcome.result) : null, worker],
  );
}

export function groupRows(queue: Queue, run: string): Promise<GroupRow[]> {
  return queue.sql<GroupRow>(`SELECT name, ok, error, advice FROM ${SCHEMA}.group_results WHERE run = $1`, [run]);
}

/** A member job's state in pg-boss (created, retry, active, completed, expired, cancelled, failed). */
export interface JobRow {
  readonly name: string;
  readonly state: string;
  readonly retry_count: number;
}

/** The run's member jobs, queued or archived (pg-boss keeps both tables in our schema). */
export function jobRows(queue: Queue, run: string): Promise<JobRow[]> {
  return queue.sql<JobRow>(
    `SELECT data->'member'->>'name' AS name, state::text AS state, retry_count FROM ${SCHEMA}.job WHERE data->>'run' = $1 AND data ? 'member'
     UNION ALL
     SELECT data->'member'->>'name', state::text, retry_count FROM ${SCHEMA}.archive WHERE data->>'run' = $1 AND data ? 'member'`,
    [run],
  );
}

/** Jobs pg-boss retried (their worker died or they failed), groups' jobs included. */
export async function retriedJobs(queue: Queue, run: string): Promise<number> {
  const rows = await queue.sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT retry_count FROM ${SCHEMA}.job WHERE data->>'run' = $1 AND retry_count > 0
       UNION ALL SELECT retry_count FROM ${SCHEMA}.archive WHERE data->>'run' = $1 AND retry_count > 0) r`,
    [run],
  );
  return rows[0]?.n ?? 0;
}
