/**
 * Shared by the migrate tests: a table with awkward names, an advise and a health JSON
 * for it, and small helpers (psql, the table's indexes, a work directory inside the
 * repository so generated TypeScript resolves `kysely` from node_modules).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../helpers/cli.js';
import type { TestDatabase } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp.js';

export const TABLE_SQL = `
CREATE TABLE "Order Items" (id bigint PRIMARY KEY, user_id int NOT NULL, "Created At" timestamptz NOT NULL, "select" text, status text NOT NULL);
INSERT INTO "Order Items" SELECT g, g % 500, timestamptz '2024-01-01' + g * interval '1 minute', 'item ' || g, CASE WHEN g % 7 = 0 THEN 'open' ELSE 'done' END
FROM generate_series(1, 20000) g;
CREATE INDEX old_dup ON "Order Items" (status);`;

export const ADVICE = {
  engine: 'postgres',
  serverVersion: '15',
  recommendations: [
    {
      table: 'public."Order Items"',
      columns: ['user_id', '"Created At" DESC'],
      include: [],
      where: null,
      method: 'btree',
      name: 'r1',
      sql: '',
      workloadShareSaved: 0.31,
    },
    {
      table: 'public."Order Items"',
      columns: ['user_id'],
      include: ['"select"'],
      where: "status = 'open'",
      method: 'btree',
      name: 'r2',
      sql: '',
    },
    {
      table: 'public."Order Items"',
      columns: ['"select" text_pattern_ops'],
      include: [],
      where: null,
      method: 'btree',
      name: 'r3',
      sql: '',
    },
    {
      // a key on an expression, after a column (issue 17, item 1)
      table: 'public."Order Items"',
      columns: ['user_id', '(lower("select"))'],
      include: [],
      where: null,
      method: 'btree',
      name: 'r4',
      sql: '',
    },
  ],
};

export const HEALTH = {
  findings: [
    {
      check: 'unused-index',
      severity: 'warning',
      table: 'public."Order Items"',
      index: 'public.old_dup',
      message: 'public.old_dup had 0 scans in 40 days of statistics',
      evidence: { bytes: 8192, definition: 'CREATE INDEX old_dup ON public."Order Items" USING btree (status)' },
      fixSql: 'DROP INDEX CONCURRENTLY public.old_dup;',
    },
  ],
};

/** A fresh directory under node_modules/.cache (inside the repository), removed after the test file like every tempDir(). */
export function workDir(label: string): string {
  const base = join(PROJECT_ROOT, 'node_modules', '.cache', 'indexwise-test');
  mkdirSync(base, { recursive: true });
  return tempDir(label, base);
}

/** advice.json and health.json written into `dir`. */
export function writeInputs(dir: string): { advice: string; health: string } {
  const advice = join(dir, 'advice.json');
  const health = join(dir, 'health.json');
  writeFileSync(advice, JSON.stringify(ADVICE));
  writeFileSync(health, JSON.stringify(HEALTH));
  return { advice, health };
}

/** The index names on "Order Items", sorted. */
export async function tableIndexes(db: TestDatabase): Promise<string[]> {
  const result = await db.sql(`SELECT indexname FROM pg_indexes WHERE tablename = 'Order Items' ORDER BY 1`);
  return result.rows.map((r: { indexname: string }) => r.indexname);
}

export async function invalidIndexes(db: TestDatabase): Promise<string[]> {
  const result = await db.sql(`SELECT indexrelid::regclass::text AS name FROM pg_index WHERE NOT indisvalid ORDER BY 1`);
  return result.rows.map((r: { name: string }) => r.name);
}

const PSQL = existsSync('/usr/lib/postgresql/15/bin/psql') ? '/usr/lib/postgresql/15/bin/psql' : 'psql';

/** Runs a file with psql, statement by statement, stopping at the first error. */
export async function psql(url: string, file: string): Promise<string> {
  const { stdout } = await promisify(execFile)(PSQL, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', file]);
  return stdout;
}
