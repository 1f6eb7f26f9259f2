/**
 * The commands on a SQLite file, from the command line: analyze, advise, health and
 * verify (baseline, with writes, and a trial) leave the file byte-identical; migrate
 * --format sql writes plain SQLite DDL in one transaction; apply builds the advice in
 * one transaction, and verify compare then measures the speed-up.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { series, sha256, sqliteFile } from './fixture.js';

const SETUP = `
CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, city TEXT);
CREATE TABLE "Order Items" (id INTEGER PRIMARY KEY, "customer id" INTEGER REFERENCES customers (id), sku TEXT, qty INTEGER, at TEXT);
INSERT INTO customers SELECT x, 'c' || x || '@example.com', 'Customer ' || x, 'City' || (x % 300) FROM ${series(20_000)};
INSERT INTO "Order Items" SELECT x, 1 + (x * 7919) % 20000, 'sku' || (x % 2000), x % 9, date('2024-01-01', '+' || (x % 600) || ' days') FROM ${series(60_000)};`;

const WORKLOAD = `-- name: customer_by_email
-- calls: 200
SELECT id, name FROM customers WHERE email = ?;
-- name: items_of_customer
-- calls: 100
SELECT sku, qty FROM "Order Items" WHERE "customer id" = :customer ORDER BY at DESC LIMIT 20;
-- name: add_item
-- calls: 50
INSERT INTO "Order Items" ("customer id", sku, qty, at) VALUES (?, ?, ?, date('now'));
-- name: rename
-- calls: 5
UPDATE customers SET name = ? WHERE id = ?;`;

describe('the commands on a SQLite file', () => {
  let path: string;
  let dir: string;
  let hash: string;
  const db = () => `sqlite:${path}`;
  const from = () => `sql:${join(dir, 'workload.sql')}`;

  beforeAll(() => {
    path = sqliteFile(SETUP);
    dir = dirname(path);
    writeFileSync(join(dir, 'workload.sql'), WORKLOAD);
    hash = sha256(path);
  });

  it('analyze, advise, health and verify read the file and never write it', async () => {
    const analyze = await runCli(['analyze', '--db', db(), '--from', from(), '--json', '-q']);
    expect(analyze.code).toBe(0);
    expect(JSON.parse(analyze.stdout).workload.queries).toHaveLength(4);
    const advise = await runCli(['advise', '--db', db(), '--from', from(), '--json', '-q']);
    expect(advise.code).toBe(0);
    writeFileSync(join(dir, 'advice.json'), advise.stdout);
    const advice = JSON.parse(advise.stdout);
    expect(advice.whatIf).toBe('sqlite-copy');
    expect(advice.recommendations.map((r: { sql: string }) => r.sql).sort()).toEqual([
      'CREATE INDEX idx_customers_email_name ON customers (email, name)',
      'CREATE INDEX idx_order_items_customer_id_at ON "Order Items" ("customer id", at DESC)',
    ]);
    const health = await runCli(['health', '--db', db(), '--from', from(), '--json']);
    expect(health.code).toBe(0);
    expect(JSON.parse(health.stdout).findings.map((f: { check: string }) => f.check)).toEqual(['unindexed-foreign-key']);
    const verify = await runCli([
      'verify',
      '--db',
      db(),
      '--from',
      from(),
      '--runs',
      '2',
      '--json',
      '--out',
      join(dir, 'before.json'),
      '-q',
    ]);
    expect(verify.code).toBe(0);
    const measured = JSON.parse(verify.stdout);
    expect(measured.writes).toBe('rollback');
    expect(
      measured.queries.map((q: { name: string; skipped?: string; medianMs: number | null }) => [
        q.name,
        q.skipped ?? null,
        typeof q.medianMs,
      ]),
    ).toEqual([
      ['customer_by_email', null, 'number'],
      ['items_of_customer', null, 'number'],
      ['add_item', null, 'number'],
      ['rename', null, 'number'],
    ]);
    const trial = await runCli([
      'verify',
      '--db',
      db(),
      '--from',
      from(),
      '--runs',
      '2',
      '--trial',
      join(dir, 'advice.json'),
      '--json',
      '-q',
    ]);
    expect(trial.code).toBe(0);
    const comparison = JSON.parse(trial.stdout).comparison;
    expect(comparison.queries.find((q: { name: string }) => q.name === 'customer_by_email').planChange).toBe('Seq Scan → Index Only Scan');
    expect(comparison.workload.speedup).toBeGreaterThan(2);
    expect(sha256(path)).toBe(hash);
  });

  it('migrate --format sql writes plain SQLite DDL in one transaction; apply builds it; verify compare measures', async () => {
    const out = join(dir, 'migrations');
    const migrate = await runCli(['migrate', '--input', join(dir, 'advice.json'), '--format', 'sql', '--out', out, '-q']);
    expect(migrate.code).toBe(0);
    const up = migrate.stdout.match(/wrote (\S+\.up\.sql)/)?.[1] as string;
    const text = readFileSync(up, 'utf8');
    expect(text).toContain('BEGIN;');
    expect(text).toContain('CREATE INDEX IF NOT EXISTS idx_customers_email_name ON customers (email, name);');
    expect(text).not.toMatch(/CONCURRENTLY|USING btree|NULLS/);
    // the migration runs as it is on a copy of the file
    const copy = join(dir, 'migrated.db');
    copyFileSync(path, copy);
    const migrated = new Database(copy);
    migrated.exec(text);
    migrated.exec(readFileSync(up.replace(/\.up\.sql$/, '.down.sql'), 'utf8'));
    expect(migrated.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'index' AND name LIKE 'idx_%'`).get()).toEqual({ n: 0 });
    migrated.close();

    const apply = await runCli(['apply', '--db', db(), '--input', join(dir, 'advice.json'), '--yes', '--json']);
    expect(apply.code).toBe(0);
    expect(JSON.parse(apply.stdout)).toMatchObject({ dialect: 'sqlite', built: 2, failed: 0 });
    const compare = await runCli([
      'verify',
      'compare',
      join(dir, 'before.json'),
      '--db',
      db(),
      '--from',
      from(),
      '--runs',
      '2',
      '--json',
      '-q',
    ]);
    expect(compare.code).toBe(0);
    expect(JSON.parse(compare.stdout).workload.speedup).toBeGreaterThan(2);
  });
});
