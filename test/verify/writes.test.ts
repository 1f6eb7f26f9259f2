/**
 * Regression (issue 15, "verify writes to the database"): a data-modifying WITH, nextval(),
 * SELECT … FOR UPDATE, a volatile function that inserts, SELECT INTO and a session advisory
 * lock were taken for reads and run in autocommit. Every command that measures runs the
 * workload below; afterwards the rows, the sequence, the locks and the tables are as before,
 * and the connection is not left inside a transaction.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadParser } from '../../src/analysis/parse.js';
import { statementEffects } from '../../src/analysis/read-only.js';
import { connect } from '../../src/engines/connect.js';
import type { Engine } from '../../src/engines/engine.js';
import type { Catalog } from '../../src/model/catalog.js';
import { keyColumn } from '../../src/model/index-def.js';
import type { Measurement } from '../../src/model/measurement.js';
import type { Recommendation } from '../../src/model/recommendation.js';
import { guardAdvice } from '../../src/verify/guard.js';
import { measureWorkload, trialAdvice } from '../../src/verify/verify.js';
import { runCli } from '../helpers/cli.js';
import { POSTGRES, POSTGRES_FAMILY, type TestEngine } from '../helpers/engines.js';
import { HOSTILE_WORKLOAD, HOSTILE_SETUP, hostileState, UNTOUCHED } from '../helpers/hostile.js';
import { tempDir } from '../helpers/temp.js';
import { sha256, sqliteFile } from '../sqlite/fixture.js';
import { workloadFromSql } from '../helpers/workload.js';

const recommendation = {
  name: 'items_k_trial',
  index: { table: { schema: 'public', name: 'items' }, keys: [keyColumn('k')], include: [], where: null, method: 'btree', unique: false },
} as unknown as Recommendation;

const outcome = (m: Measurement) =>
  Object.fromEntries(m.queries.map((q) => [q.name, q.skipped === undefined ? 'measured' : q.skipped.replace(/ \(.*$/s, '')]));

const SKIPPED_ON_A_SERVER = {
  'cte-insert': 'a write: not run',
  'cte-delete': 'a write: not run',
  nextval: 'not run: it calls nextval(), which a rollback does not undo',
  'for-update': 'a write: not run',
  'volatile-function': 'a write: not run',
  'select-into': 'a write: not run',
  'advisory-lock': 'not run: it calls pg_advisory_lock(), which a rollback does not undo',
  'stable-but-writes': 'not run: it tried to write in a read-only transaction',
  'stable-in-where': 'not run: it tried to write in a read-only transaction',
  'plain-read': 'measured',
};
const ROLLED_BACK = {
  ...SKIPPED_ON_A_SERVER,
  'cte-insert': 'measured',
  'cte-delete': 'measured',
  'for-update': 'measured',
  'volatile-function': 'measured',
  'select-into': 'measured',
};

describe.each(POSTGRES_FAMILY.filter((f) => f.available))('measuring never keeps a write on $name', (fixture) => {
  let db: TestEngine;
  let catalog: Catalog;
  /** Another connection where there can be one: it sees only what was committed, and tries the row locks. */
  let observer: Engine;

  beforeAll(async () => {
    db = await fixture.open('writes');
    await db.setup(HOSTILE_SETUP);
    catalog = await db.engine.catalog();
    observer = db.url === null ? db.engine : await connect(db.url);
  });
  afterAll(async () => {
    if (observer !== db?.engine) await observer?.close();
    await db?.cleanup();
  });

  async function expectUntouched(): Promise<void> {
    expect(await hostileState(observer)).toEqual(UNTOUCHED);
    if (observer === db.engine) return;
    const [row] = await db.engine.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const [activity] = await observer.query(`SELECT state FROM pg_stat_activity WHERE pid = $1`, [row?.pid]);
    expect(activity?.state).toBe('idle'); // not idle in transaction
    await observer.query('BEGIN');
    try {
      // no row lock left behind: NOWAIT fails at once (55P03) if one is held
      await expect(observer.query('SELECT id FROM items WHERE k = 7 FOR UPDATE NOWAIT')).resolves.toHaveLength(20);
    } finally {
      await observer.query('ROLLBACK');
    }
  }

  it('whyNotReadOnly: volatile, unknown and ambiguous names make a write; immutable and stable ones do not', async () => {
    await loadParser();
    await db.setup(`CREATE FUNCTION twin(x int) RETURNS int IMMUTABLE LANGUAGE sql AS 'SELECT x';
      CREATE FUNCTION twin(x text) RETURNS text VOLATILE LANGUAGE sql AS 'SELECT x';
      CREATE FUNCTION pure_int(x int) RETURNS int IMMUTABLE LANGUAGE sql AS 'SELECT x';
      CREATE FUNCTION bump(a int, b int) RETURNS boolean VOLATILE LANGUAGE sql AS 'SELECT a = b';
      CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = bump);`);
    const why = (sql: string) => db.engine.whyNotReadOnly(sql, statementEffects(sql, catalog));
    expect(await why('SELECT lower(note), now(), count(*) FROM items WHERE k = $1 GROUP BY 1')).toBeNull();
    expect(await why("SELECT id FROM items WHERE note LIKE 'x%' AND k BETWEEN 1 AND 3")).toBeNull();
    expect(await why('SELECT pure_int(k) FROM items')).toBeNull();
    expect(await why('SELECT public.pure_int(k) FROM items')).toBeNull();
    expect(await why('SELECT pg_catalog.pure_int(k) FROM items')).toMatch(/pg_catalog\.pure_int\(\)/); // none in that schema
    expect(await why('SELECT random()')).toMatch(/^calls random\(\): volatile or unknown$/);
    expect(await why('SELECT twin(1)')).toMatch(/twin\(\)/); // an immutable and a volatile overload: cannot tell which
    expect(await why('SELECT no_such_function(1)')).toMatch(/no_such_function\(\)/);
    expect(await why('SELECT id FROM items WHERE k === 1')).toMatch(/operator ===/);
    expect(await why('SELECT id FROM items FOR SHARE')).toBe('SELECT … FOR SHARE');
  });

  it('verify with the default for writes', async () => {
    const m = await measureWorkload(db.engine, await workloadFromSql(HOSTILE_WORKLOAD), catalog, { runs: 2 });
    expect(outcome(m)).toEqual(m.writes === 'skip' ? SKIPPED_ON_A_SERVER : ROLLED_BACK);
    expect(m.writes).toBe(fixture.name === 'postgres' ? 'skip' : 'rollback');
    expect(m.queries.filter((q) => q.write).map((q) => q.name)).not.toContain('plain-read');
    await expectUntouched();
  });

  it('verify --writes rollback', async () => {
    const m = await measureWorkload(db.engine, await workloadFromSql(HOSTILE_WORKLOAD), catalog, { runs: 2, writes: 'rollback' });
    expect(outcome(m)).toEqual(ROLLED_BACK);
    await expectUntouched();
  });

  it('verify --trial (the savepoint path inside the trial transaction)', async () => {
    const workload = await workloadFromSql(HOSTILE_WORKLOAD);
    const result = await trialAdvice(db.engine, workload, catalog, [recommendation], { runs: 1, writes: 'rollback' });
    expect(outcome(result.after)).toEqual(ROLLED_BACK);
    expect(result.after.trialIndexes).toHaveLength(1);
    await expectUntouched();
    const defaults = await trialAdvice(db.engine, workload, catalog, [recommendation], { runs: 1 });
    expect(outcome(defaults.after)).toEqual(outcome(defaults.before));
    await expectUntouched();
  });

  it('advise --measure (the measured guard)', async () => {
    const workload = await workloadFromSql(HOSTILE_WORKLOAD);
    await guardAdvice(db.engine, workload, catalog, [recommendation], { runs: 1, writes: 'rollback' });
    await expectUntouched();
    await guardAdvice(db.engine, workload, catalog, [recommendation], { runs: 1 });
    await expectUntouched();
    expect(await db.engine.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'items'`)).toEqual([{ indexname: 'items_pkey' }]);
  });
});

describe.skipIf(!POSTGRES.available)('the CLI commands that measure, on PostgreSQL', () => {
  let db: TestEngine;
  let observer: Engine;
  let dir: string;

  beforeAll(async () => {
    db = await POSTGRES.open('writes_cli');
    await db.setup(HOSTILE_SETUP);
    observer = await connect(db.url as string);
    dir = tempDir('writes');
    writeFileSync(join(dir, 'w.sql'), HOSTILE_WORKLOAD);
    writeFileSync(join(dir, 'advice.json'), JSON.stringify({ recommendations: [recommendation] }));
  });
  afterAll(async () => {
    await observer?.close();
    await db?.cleanup();
  });

  const from = () => ['--db', db.url as string, '--from', `sql:${join(dir, 'w.sql')}`, '--runs', '1', '-q'];

  it.each([
    ['verify', [], SKIPPED_ON_A_SERVER],
    ['verify --writes rollback', ['--writes', 'rollback'], ROLLED_BACK],
    ['verify --trial', ['--writes', 'rollback', '--trial', 'advice.json'], null],
  ] as const)('%s', async (_label, extra, expected) => {
    const args = extra.map((a) => (a === 'advice.json' ? join(dir, a) : a));
    const result = await runCli(['verify', ...from(), ...args, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    if (expected !== null) expect(outcome(out)).toEqual(expected);
    else expect(outcome(out.after)).toEqual(ROLLED_BACK);
    expect(await hostileState(observer)).toEqual(UNTOUCHED);
  });

  // advise plans `k = sneaky(19)`: the planner calls the STABLE function to estimate, and it
  // writes; the read-only session stops it (the query is then left out of the advice)
  it.each([
    ['advise --measure', ['--measure']],
    ['advise', []],
    ['advise --what-if transaction', ['--what-if', 'transaction']],
  ] as const)('%s', async (_label, extra) => {
    const result = await runCli(['advise', ...from().filter((a) => a !== '--runs' && a !== '1'), ...extra, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(await hostileState(observer)).toEqual(UNTOUCHED);
    expect(await observer.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'items'`)).toEqual([{ indexname: 'items_pkey' }]);
  });
});

describe('SQLite keeps its own verdict (sqlite3_stmt_readonly)', () => {
  const WORKLOAD = `-- name: with-then-insert
WITH x AS (SELECT 5 AS v) INSERT INTO t (v) SELECT v FROM x;
-- name: insert-in-with
WITH i AS (INSERT INTO t (v) VALUES (6) RETURNING v) SELECT v FROM i;
-- name: read
SELECT v FROM t WHERE v = 1;
`;

  it('a WITH that ends in INSERT is a write, rolled back on a copy or skipped; an INSERT inside WITH is not SQLite', async () => {
    const path = sqliteFile('CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2);');
    const before = sha256(path);
    const engine = await connect(`sqlite:${path}`);
    try {
      const workload = await workloadFromSql(WORKLOAD);
      const catalog = await engine.catalog();
      const rolledBack = await measureWorkload(engine, workload, catalog, { runs: 1 });
      expect(rolledBack.writes).toBe('rollback');
      const skipped = await measureWorkload(engine, workload, catalog, { runs: 1, writes: 'skip' });
      for (const m of [rolledBack, skipped]) {
        expect(m.queries.find((q) => q.name === 'insert-in-with')?.skipped).toMatch(/^not run: cannot tell whether it writes/);
        expect(m.queries.find((q) => q.name === 'read')?.skipped).toBeUndefined();
      }
      const insert = rolledBack.queries.find((q) => q.name === 'with-then-insert');
      expect(insert?.write).toBe(true);
      expect(insert?.skipped).toBeUndefined(); // measured on a copy, in a savepoint
      expect(skipped.queries.find((q) => q.name === 'with-then-insert')?.skipped).toMatch(/^a write: not run/);
    } finally {
      await engine.close();
    }
    expect(sha256(path)).toBe(before);
  });
});
