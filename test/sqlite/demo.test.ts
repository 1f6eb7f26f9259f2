/**
 * `indexwise demo --engine sqlite`: the demo app built in a SQLite file (a temp file, or
 * --keep FILE reused next time), its SQLite workload analyzed, advised on a copy,
 * applied in one transaction, measured before and after — end to end from the CLI.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDemoFile } from '../../src/demo/assets.js';
import { demoSizes } from '../../src/demo/generate.js';
import { splitScript } from '../../src/demo/load.js';
import { sqliteDemoRows } from '../../src/demo/sqlite-generate.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

describe('the SQLite demo', () => {
  it('has the PostgreSQL demo’s tables and workload, in SQLite form, with deterministic data', () => {
    const tables = (file: string) =>
      splitScript(readDemoFile(file))
        .filter((s) => /^CREATE TABLE/i.test(s))
        .map((s) => /CREATE TABLE (\w+)/i.exec(s)?.[1]);
    expect(tables('schema.sqlite.sql')).toEqual(tables('schema.sql'));
    const indexes = splitScript(readDemoFile('schema.sqlite.sql')).filter((s) => /^CREATE INDEX/i.test(s));
    expect(indexes.every((s) => !/\(\s*\w+\s*,/.test(s))).toBe(true);
    const names = (file: string) => [...readDemoFile(file).matchAll(/^-- name: (\w+)/gm)].map((m) => m[1]);
    expect(names('workload.sqlite.sql')).toEqual(names('workload.sql'));
    const statements = splitScript(readDemoFile('workload.sqlite.sql'));
    expect(statements.some((s) => /\$\d|now\(\)|date_trunc/.test(s))).toBe(false);
    const sizes = demoSizes(0.01);
    expect(sqliteDemoRows(sizes)).toEqual(sqliteDemoRows(sizes));
    const messages = sqliteDemoRows(sizes).find((t) => t.table === 'messages');
    expect(messages?.rows).toHaveLength(sizes.messages);
  });

  it('runs end to end from the CLI, and --keep reuses the file', async () => {
    const dir = tempDir('sqlite-demo');
    const keep = join(dir, 'demo.db');
    const args = [
      'demo',
      '--engine',
      'sqlite',
      '--scale',
      '0.05',
      '--runs',
      '3',
      '--keep',
      keep,
      '--report',
      join(dir, 'report.html'),
      '-q',
    ];
    const first = await runCli([...args, '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.info.family).toBe('sqlite');
    expect(report.demo.built).toBe(true);
    expect(report.catalog.tables.find((t: { name: string }) => t.name === 'messages').rowEstimate).toBe(demoSizes(0.05).messages);
    expect(report.workload.skipped).toEqual([]);
    expect(report.advice.whatIf).toBe('sqlite-copy');
    expect(report.advice.recommendations.length).toBeGreaterThan(3);
    expect(report.applied).toMatchObject({ dialect: 'sqlite', failed: 0 });
    // measured: the queries that scanned messages now search an index, and the workload runs faster
    const changed = report.verification.queries.filter((q: { planChange: string }) => q.planChange.startsWith('Seq Scan →'));
    expect(changed.map((q: { name: string }) => q.name)).toEqual(
      expect.arrayContaining(['messages_of_conversation', 'new_messages_since']),
    );
    expect(report.verification.workload.speedup).toBeGreaterThan(2);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
    const second = await runCli(args);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('(SQLite ');
    expect(second.stdout).toContain(', reused');
  });

  it('refuses a file it did not make', async () => {
    const path = join(tempDir('sqlite-demo'), 'mine.db');
    writeFileSync(path, '');
    const result = await runCli(['demo', '--engine', 'sqlite', '--keep', path, '-q']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not an indexwise demo database/);
  });
});
