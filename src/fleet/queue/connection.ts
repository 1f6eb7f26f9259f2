/**
 * The central PostgreSQL that holds a queued fleet run: pg-boss's job queue and our tables
 * beside it, in the schema `indexwise_queue`. pg-boss does the scheduling, the locking (SKIP
 * LOCKED) and the retries of a job whose worker died (it expires and is retried). This is the
 * only importer of pg-boss: the rest of the queue sees the small `Queue` below.
 */
import PgBoss from 'pg-boss';
import { ConnectionError, oneLine } from '../../errors.js';

export const FLEET_QUEUE = 'indexwise-fleet';
/** pg-boss's own schema, and our tables next to it. */
export const SCHEMA = 'indexwise_queue';

const TABLES = `
CREATE TABLE IF NOT EXISTS ${SCHEMA}.runs (run text PRIMARY KEY, command text NOT NULL, members jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS ${SCHEMA}.results (
  run text NOT NULL, name text NOT NULL, ok boolean NOT NULL, error text, result jsonb, schema_fingerprint text,
  worker text NOT NULL, finished_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run, name));
ALTER TABLE ${SCHEMA}.runs ADD COLUMN IF NOT EXISTS specs jsonb;
ALTER TABLE ${SCHEMA}.results ADD COLUMN IF NOT EXISTS workload jsonb, ADD COLUMN IF NOT EXISTS bytes bigint;
ALTER TABLE ${SCHEMA}.results ADD COLUMN IF NOT EXISTS page text;
CREATE TABLE IF NOT EXISTS ${SCHEMA}.group_results (
  run text NOT NULL, name text NOT NULL, ok boolean NOT NULL, error text, advice jsonb,
  worker text NOT NULL, finished_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run, name));`;

export interface QueueOptions {
  /** How often a worker looks for jobs a dead worker left active (pg-boss maintenance), seconds. */
  readonly maintenanceIntervalSeconds?: number;
}

/** How a job is sent: it outlives its database's timeout by `expireInSeconds`, then is retried. */
export interface SendOptions {
  readonly expireInSeconds: number;
  /** Sent once per key and hour, however many senders race. */
  readonly singletonKey?: string;
}

/** A job as a worker gets it. */
export type JobHandler<J> = (data: J) => Promise<void>;

export interface Queue {
  /** A statement on the central database, values bound as parameters. */
  sql<R>(text: string, values: readonly unknown[]): Promise<R[]>;
  send(jobs: readonly object[], options: SendOptions): Promise<void>;
  /** Takes jobs, one at a time per call, until `stop`. */
  work<J>(handler: JobHandler<J>): Promise<void>;
  stop(graceful: boolean): Promise<void>;
}

const RETRIES = { retryLimit: 3, retryDelay: 0 } as const;

export async function openQueue(url: string, options: QueueOptions = {}): Promise<Queue> {
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
  return {
    sql: async <R>(text: string, values: readonly unknown[]) => (await boss.getDb().executeSql(text, [...values])).rows as R[],
    send: async (jobs, { expireInSeconds, singletonKey }) => {
      if (singletonKey !== undefined) {
        for (const data of jobs) await boss.send(FLEET_QUEUE, data, { ...RETRIES, expireInSeconds, singletonKey, singletonSeconds: 3600 });
        return;
      }
      await boss.insert(jobs.map((data) => ({ name: FLEET_QUEUE, data, ...RETRIES, expireInSeconds })));
    },
    work: async <J>(handler: JobHandler<J>) => {
      await boss.work<J>(FLEET_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
        if (job !== undefined) await handler(job.data);
      });
    },
    stop: (graceful) => boss.stop({ graceful, wait: true }),
  };
}
