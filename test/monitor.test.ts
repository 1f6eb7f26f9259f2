/**
 * monitor: snapshots with scans in between, across pg_stat_reset(), in the SQLite store and in a
 * table; read-only; when each index was last used, from the snapshots (PostgreSQL 15) and from
 * the server's last_idx_scan (PGlite, PostgreSQL 18).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/engines/connect.js';
import type { Engine } from '../src/engines/engine.js';
import { openStore, report, snapshot } from '../src/monitor/monitor.js';
import { usageReport } from '../src/monitor/report.js';
import { takeSnapshot } from '../src/monitor/snapshot.js';
import { runCli } from './helpers/cli.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from './helpers/postgres.js';
import { tempDir } from './helpers/temp.js';

/** Index scans from another session, then wait until the statistics show them. */
async function scan(url: string, times: number, expectedTotal: (n: number) => boolean, engine: Engine): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('SET enable_seqscan = off');
  for (let i = 0; i < times; i++) await client.query('SELECT id FROM t WHERE k = $1', [i]);
  await client.end(); // a backend flushes its statistics when it exits
  for (let attempt = 0; attempt < 100; attempt++) {
    const [row] = await engine.query<{ n: number }>(
      `SELECT coalesce(idx_scan, 0)::int AS n FROM pg_stat_user_indexes WHERE indexrelname = 't_k'`,
    );
    if (expectedTotal(Number(row?.n))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('statistics did not show the scans');
}

describe.skipIf(!hasPostgres)('monitor on PostgreSQL', () => {
  let db: TestDatabase;
  let engine: Engine;
  const storePath = join(tempDir('monitor'), 'monitor.sqlite');

  beforeAll(async () => {
    db = await createTestDatabase('monitor', []);
    await db.sql(`CREATE TABLE t (id int PRIMARY KEY, k int NOT NULL, v int);
      INSERT INTO t SELECT g, g % 100, g FROM generate_series(1, 10000) g;
      CREATE INDEX t_k ON t (k);
      CREATE INDEX t_v_never ON t (v);
      ANALYZE t;`);
    engine = await connect(db.url);
  });
  afterAll(async () => {
    await engine?.close();
    await db?.drop();
  });

  it('turns snapshots into scans per index, across a statistics reset', async () => {
    const store = await openStore(storePath, null);
    try {
      const before = await snapshot(engine, store);
      // PostgreSQL 15 has no pg_stat_user_indexes.last_idx_scan: the snapshot says nothing of it
      expect(before.indexes.every((i) => !('lastScan' in i))).toBe(true);
      const start = before.indexes.find((i) => i.index === 't_k')?.scans ?? 0;
      await scan(db.url, 5, (n) => n >= start + 5, engine);
      const second = await snapshot(engine, store);
      let result = await report(store, undefined, new Date(0));
      expect(result.snapshots).toBe(2);
      expect(result.resets).toBe(0);
      expect(result.indexes.find((i) => i.index === 't_k')).toMatchObject({
        scans: 5,
        unused: false,
        lastUsed: { kind: 'between', after: before.takenAt, before: second.takenAt },
      });
      expect(result.indexes.find((i) => i.index === 't_v_never')).toMatchObject({
        scans: 0,
        unused: true,
        lastUsed: { kind: 'not-since', since: before.takenAt },
      });
      expect(result.indexes.find((i) => i.index === 't_pkey')).toMatchObject({ essential: true, unused: false });

      await db.sql('SELECT pg_stat_reset()');
      await snapshot(engine, store);
      await scan(db.url, 2, (n) => n === 2, engine);
      const fourth = await snapshot(engine, store);
      result = await report(store, undefined, new Date(0));
      expect(result.snapshots).toBe(4);
      expect(result.resets).toBe(1);
      expect(result.indexes.find((i) => i.index === 't_k')?.scans).toBe(7);
      expect(result.indexes.find((i) => i.index === 't_k')?.scansPerDay).toBeGreaterThan(0);
      // the counter grew after the reset, between the third snapshot and the fourth
      const all = await store.list(result.database, new Date(0));
      expect(result.indexes.find((i) => i.index === 't_k')?.lastUsed).toEqual({
        kind: 'between',
        after: all[2]?.takenAt,
        before: fourth.takenAt,
      });
    } finally {
      await store.close();
    }
  });

  it('a window after the first snapshot leaves it out', async () => {
    const store = await openStore(storePath, null);
    try {
      const all = await store.list((await store.databases())[0] as string, new Date(0));
      const late = await report(store, undefined, new Date(Date.parse(all[1]?.takenAt ?? '') - 1));
      expect(late.snapshots).toBe(all.length - 1);
      expect(usageReport('x', []).snapshots).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('CLI: snapshot and report with the SQLite store; a table store when asked', async () => {
    const path = join(tempDir('monitor-cli'), 'm.sqlite');
    for (let i = 0; i < 2; i++) expect((await runCli(['monitor', 'snapshot', '--db', db.url, '--store', path])).code).toBe(0);
    const out = await runCli(['monitor', 'report', '--db', db.url, '--store', path, '--since', '1d', '--json']);
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.snapshots).toBe(2);
    expect(json.indexes.map((i: { index: string }) => i.index).sort()).toEqual(['t_k', 't_pkey', 't_v_never']);
    const first = (await openStore(path, null, { readOnly: true }).then(async (store) => {
      const list = await store.list(json.database, new Date(0));
      await store.close();
      return list[0]?.takenAt;
    })) as string;
    expect(json.indexes.find((i: { index: string }) => i.index === 't_v_never').lastUsed).toEqual({ kind: 'not-since', since: first });
    const human = await runCli(['monitor', 'report', '--db', db.url, '--store', path]);
    expect(human.stdout).toMatch(/public\.t_v_never\s+0\s+0\.0\s+.*not used since \d{4}-\d\d-\d\d \d\d:\d\d UTC\s+UNUSED over the window/);
    expect(human.stdout.split('\n').find((line) => line.includes('scans/day'))).toMatch(/\blast used\b/);

    expect((await runCli(['monitor', 'snapshot', '--db', db.url, '--store', 'table:public.indexwise_snapshots'])).code).toBe(0);
    const rows = await db.sql('SELECT count(*)::int AS n FROM public.indexwise_snapshots');
    expect(rows.rows[0].n).toBe(1);
    const empty = await runCli(['monitor', 'report', '--store', join(tempDir('monitor-none'), 'none.sqlite')], {
      env: { DATABASE_URL: undefined },
    });
    expect(empty.code).toBe(2);
    expect(empty.stderr.trim()).toBe('indexwise: the store has no snapshots yet: run indexwise monitor snapshot');
  });

  it('report only reads: it creates neither a store file nor a store table', async () => {
    const path = join(tempDir('monitor-report-reads'), 'never', 'm.sqlite');
    const none = await runCli(['monitor', 'report', '--store', path], { env: { DATABASE_URL: undefined } });
    expect(none.stderr.trim()).toBe('indexwise: the store has no snapshots yet: run indexwise monitor snapshot');
    expect(existsSync(dirname(path))).toBe(false);
    const table = await runCli(['monitor', 'report', '--db', db.url, '--store', 'table:public.never_made']);
    expect(table.code).toBe(2);
    expect(table.stderr.trim()).toBe(
      'indexwise: cannot open the snapshot store table:public.never_made: no such table (indexwise monitor snapshot --store table:public.never_made creates it)',
    );
    expect((await db.sql("SELECT to_regclass('public.never_made') AS t")).rows[0].t).toBeNull();
  });

  // issue 15: the error was printed but the connection stayed open and the process never exited (one stuck process per cron run)
  it('a store that cannot be opened: one line, exit 2, and the process exits', async () => {
    const dir = tempDir('monitor-bad-store');
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database\n');
    const cases: [string, RegExp][] = [
      [text, /^indexwise: cannot open the snapshot store .*notes\.txt: file is not a database$/],
      [dir, /^indexwise: cannot open the snapshot store .*: it is a directory, not a file$/],
      ['table:nosuch.snap', /^indexwise: cannot open the snapshot store table:nosuch\.snap: schema "nosuch" does not exist$/],
    ];
    for (const [store, message] of cases) {
      for (const command of ['snapshot', 'report']) {
        // report only reads: a table it cannot find is missing, not created
        const expected =
          command === 'report' && store.startsWith('table:')
            ? /^indexwise: cannot open the snapshot store table:nosuch\.snap: no such table \(indexwise monitor snapshot --store table:nosuch\.snap creates it\)$/
            : message;
        // a hanging process is killed after 30 s and has no exit code
        const result = await runCli(['monitor', command, '--db', db.url, '--store', store], { timeoutMs: 30_000 });
        expect(result.code, `${command} --store ${store}`).toBe(2);
        expect(result.stderr.trim()).toMatch(expected);
      }
    }
    expect(readFileSync(text, 'utf8')).toBe('not a database\n');
  });

  it('snapshot runs under a role with only pg_read_all_stats and SELECT rights', async () => {
    await db.sql(`DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'indexwise_reader') THEN
          CREATE ROLE indexwise_reader LOGIN PASSWORD 'reader-pw';
        END IF; END $$;
      GRANT pg_read_all_stats TO indexwise_reader;
      GRANT SELECT ON ALL TABLES IN SCHEMA public TO indexwise_reader;`);
    const url = new URL(db.url);
    url.username = 'indexwise_reader';
    url.password = 'reader-pw';
    const path = join(tempDir('monitor-ro'), 'm.sqlite');
    const result = await runCli(['monitor', 'snapshot', '--db', url.toString(), '--store', path, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).indexes.length).toBeGreaterThanOrEqual(3);
  });
});

describe("monitor on PGlite (PostgreSQL 18: the server keeps each index's last scan)", () => {
  it("the snapshot carries last_idx_scan, and the report takes the server's time over the snapshots", async () => {
    const engine = await connect('pglite:memory');
    try {
      for (const sql of [
        'CREATE TABLE t (id int PRIMARY KEY, k int NOT NULL)',
        'INSERT INTO t SELECT g, g % 100 FROM generate_series(1, 5000) g',
        'CREATE INDEX t_k ON t (k)',
        'ANALYZE t',
      ])
        await engine.query(sql);
      const first = await takeSnapshot(engine);
      expect(first.indexes.find((i) => i.index === 't_k')).toMatchObject({ scans: 0, lastScan: null });
      await engine.query('SET enable_seqscan = off');
      const scannedFrom = Date.now();
      await engine.query('SELECT id FROM t WHERE k = $1', [5]);
      // a backend sends its counters at most once a second unless told to: flushed with the next statement
      await engine.query('SELECT pg_stat_force_next_flush()');
      const second = await takeSnapshot(engine);
      const k = second.indexes.find((i) => i.index === 't_k');
      expect(k?.scans).toBe(1);
      expect(Date.parse(k?.lastScan ?? '')).toBeGreaterThanOrEqual(Math.floor(scannedFrom / 1000) * 1000);
      const result = usageReport('pglite', [first, second]);
      expect(result.indexes.find((i) => i.index === 't_k')?.lastUsed).toEqual({ kind: 'at', at: k?.lastScan });
      expect(result.indexes.find((i) => i.index === 't_pkey')?.lastUsed).toEqual({ kind: 'never' });
    } finally {
      await engine.close();
    }
  });
});
