/**
 * The benchmark's server: a fresh database per workload on the server that
 * INDEXWISE_BENCH_PG_URL names (scripts/bench.sh starts a throwaway one), and psql
 * for what only psql does well (\copy of the TPC-H files, a DDL script).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect } from '../../src/engines/connect.js';
import type { Engine } from '../../src/engines/engine.js';
import { quoteIdentAlways } from '../../src/sql/names.js';

const run = promisify(execFile);

export function serverUrl(): string {
  const url = process.env.INDEXWISE_BENCH_PG_URL;
  if (url === undefined || url === '') {
    throw new Error('INDEXWISE_BENCH_PG_URL is not set: run this through scripts/bench.sh (npm run bench:advise)');
  }
  return url;
}

/** The server URL with another database name in its path. */
export function databaseUrl(database: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/**
 * Drops (if there) and creates `database` with HypoPG installed; returns an engine
 * connected to it (connected after the extension exists: an engine reads its
 * capabilities once).
 */
export async function freshDatabase(database: string): Promise<Engine> {
  const admin = await connect(serverUrl());
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentAlways(database)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quoteIdentAlways(database)}`);
  } finally {
    await admin.close();
  }
  await psql(database, ['-c', 'CREATE EXTENSION hypopg']);
  return connect(databaseUrl(database));
}

export async function dropDatabase(database: string): Promise<void> {
  const admin = await connect(serverUrl());
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentAlways(database)} WITH (FORCE)`);
  } finally {
    await admin.close();
  }
}

/** Runs psql against `database`: `-c COMMAND` or `-f FILE` arguments, stopping at the first error. */
export async function psql(database: string, args: readonly string[]): Promise<void> {
  await run('psql', ['--no-psqlrc', '--quiet', '-v', 'ON_ERROR_STOP=1', '-d', databaseUrl(database), ...args], { maxBuffer: 16 * 2 ** 20 });
}

const VACUUM_ATTEMPTS = 40;

/**
 * VACUUM ANALYZE, then VACUUM again until the visibility map covers every table of
 * `schema`: VACUUM marks a page all-visible only when no older snapshot may need it
 * (an autovacuum worker analyzing the table loaded just before holds one), and the
 * planner costs index-only scans — covering indexes — from that map.
 */
export async function vacuumUntilAllVisible(engine: Engine, schema: string): Promise<void> {
  await engine.query('VACUUM ANALYZE');
  for (let attempt = 0; attempt < VACUUM_ATTEMPTS; attempt++) {
    const [row] = await engine.query<{ pending: number }>(
      `SELECT count(*)::int AS pending FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relallvisible < c.relpages`,
      [schema],
    );
    if (Number(row?.pending ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
    await engine.query('VACUUM');
  }
  throw new Error(`VACUUM could not mark the tables of ${schema} all-visible`);
}
