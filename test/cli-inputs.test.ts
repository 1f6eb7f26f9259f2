/**
 * Issue 15: user mistakes with files are bad input — one line, exit 2, nothing written,
 * nothing run — never an internal error (exit 70): `--out` into a missing directory or onto
 * a directory, `migrate --out` onto a file, a file of the wrong kind or edited by hand.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from './helpers/cli.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from './helpers/postgres.js';
import { tempDir } from './helpers/temp.js';

function expectBadInput(result: CliResult, message: string | RegExp): void {
  expect(result.stderr).not.toMatch(/internal error|\bat .*\.(ts|js):\d+/);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  if (typeof message === 'string') expect(lines[0]).toBe(`indexwise: ${message}`);
  else expect(lines[0]).toMatch(message);
}

const WORKLOAD = `-- name: by_region
SELECT id FROM accounts WHERE region = $1;
-- name: add
INSERT INTO accounts (id, region) VALUES ($1, $2);`;

describe('user mistakes with files (no database)', () => {
  it('demo --report into a missing directory or onto a directory: refused before the demo runs', async () => {
    const dir = tempDir('cli-inputs-demo');
    const missing = join(dir, 'missing', 'demo.html');
    expectBadInput(
      await runCli(['demo', '--report', missing]),
      `--report ${missing}: the directory ${join(dir, 'missing')} does not exist`,
    );
    const taken = join(dir, 'taken.html');
    mkdirSync(taken);
    expectBadInput(await runCli(['demo', '--report', taken]), `--report ${taken} is a directory: give a file name`);
    expect(readdirSync(dir)).toEqual(['taken.html']);
  });
});

describe.skipIf(!hasPostgres)('user mistakes with files (real PostgreSQL)', () => {
  let db: TestDatabase;
  const dir = tempDir('cli-inputs');
  const workload = join(dir, 'workload.sql');
  const advice = join(dir, 'advice.json');
  const rows = async () => Number((await db.sql('SELECT count(*)::int AS n FROM accounts')).rows[0].n);
  const indexes = async () =>
    (await db.sql(`SELECT indexname FROM pg_indexes WHERE tablename = 'accounts' ORDER BY 1`)).rows.map((r) => r.indexname);

  beforeAll(async () => {
    db = await createTestDatabase('cli_inputs');
    await db.sql(`CREATE TABLE accounts (id bigint PRIMARY KEY, region int NOT NULL);
      INSERT INTO accounts SELECT g, g % 50 FROM generate_series(1, 20000) g; ANALYZE accounts;`);
    writeFileSync(workload, WORKLOAD);
    const advised = await runCli(['advise', '--db', db.url, '--from', `sql:${workload}`, '--json', '-q']);
    expect(advised.code).toBe(0);
    writeFileSync(advice, advised.stdout);
    expect(JSON.parse(advised.stdout).recommendations.length).toBeGreaterThan(0);
  });
  afterAll(async () => db?.drop());

  it('report --out and verify --out: a missing directory, a directory, a file as the directory; nothing written', async () => {
    const taken = join(dir, 'taken.md');
    mkdirSync(taken);
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'keep\n');
    const cases: [string, string][] = [
      [join(dir, 'missing', 'r.md'), `--out ${join(dir, 'missing', 'r.md')}: the directory ${join(dir, 'missing')} does not exist`],
      [taken, `--out ${taken} is a directory: give a file name`],
      [join(file, 'r.md'), `--out ${join(file, 'r.md')}: ${file} is not a directory`],
    ];
    for (const [out, message] of cases) {
      expectBadInput(await runCli(['report', '--db', db.url, '--from', `sql:${workload}`, '--out', out, '-q']), message);
      expectBadInput(await runCli(['verify', 'baseline', '--db', db.url, '--from', `sql:${workload}`, '--out', out, '-q']), message);
    }
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    expect(readdirSync(taken)).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe('keep\n');
  });

  it('migrate --out onto a file: refused, the file untouched', async () => {
    const file = join(dir, 'migrations.txt');
    writeFileSync(file, 'keep\n');
    expectBadInput(
      await runCli(['migrate', '--input', advice, '--format', 'sql', '--out', file, '-q']),
      `--out ${file} is a file, not a directory: give the directory to write into`,
    );
    expect(readFileSync(file, 'utf8')).toBe('keep\n');
  });

  it('report --verify given an advice, report --advice with a field removed: named, nothing written', async () => {
    const out = join(dir, 'r.md');
    expectBadInput(
      await runCli(['report', '--db', db.url, '--from', `sql:${workload}`, '--verify', advice, '--out', out, '-q']),
      `${advice} is not a verify comparison (verify compare --json or verify --trial --json): "before" is missing`,
    );
    const edited = JSON.parse(readFileSync(advice, 'utf8'));
    delete edited.recommendations[0].costBefore;
    const editedPath = join(dir, 'edited-report.json');
    writeFileSync(editedPath, JSON.stringify(edited));
    expectBadInput(
      await runCli(['report', '--db', db.url, '--from', `sql:${workload}`, '--advice', editedPath, '--out', out, '-q']),
      `${editedPath} is not a complete advise --json file: "recommendations[0].costBefore" is missing`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('verify --trial with a hand-edited advice: refused before anything runs; no row, no index', async () => {
    const rowsBefore = await rows();
    const indexesBefore = await indexes();
    const edited = JSON.parse(readFileSync(advice, 'utf8'));
    delete edited.recommendations[0].index.keys;
    const missing = join(dir, 'edited-trial.json');
    writeFileSync(missing, JSON.stringify(edited));
    const message = `${missing} is not an advise --json file with indexes to build: "recommendations[0].index.keys" is missing`;
    expectBadInput(
      await runCli(['verify', '--trial', missing, '--db', db.url, '--from', `sql:${workload}`, '--writes', 'rollback', '-q']),
      message,
    );
    // checked before connecting: an unreachable database is not even tried
    expectBadInput(await runCli(['verify', '--trial', missing, '--db', 'postgres://nobody@127.0.0.1:1/none', '-q']), message);
    // a predicate that would end the trial's transaction and run a statement of its own
    const injected = JSON.parse(readFileSync(advice, 'utf8'));
    injected.recommendations[0].index.where = `true); COMMIT; INSERT INTO accounts VALUES (-1, -1); SELECT (true`;
    const injectedPath = join(dir, 'injected.json');
    writeFileSync(injectedPath, JSON.stringify(injected));
    expectBadInput(
      await runCli(['verify', '--trial', injectedPath, '--db', db.url, '--from', `sql:${workload}`, '-q']),
      /^indexwise: the WHERE of \S+ is not one SQL expression: "true\); COMMIT; INSERT/,
    );
    // an expression key that would do the same
    const keyed = JSON.parse(readFileSync(advice, 'utf8'));
    keyed.recommendations[0].index.keys[0] = {
      column: `1)); COMMIT; INSERT INTO accounts VALUES (-1, -1); SELECT ((1`,
      expression: { columns: [] },
      descending: false,
      nullsFirst: null,
      opclass: null,
    };
    const keyedPath = join(dir, 'keyed.json');
    writeFileSync(keyedPath, JSON.stringify(keyed));
    expectBadInput(
      await runCli(['verify', '--trial', keyedPath, '--db', db.url, '--from', `sql:${workload}`, '-q']),
      /^indexwise: the index key \(1\)\); COMMIT; INSERT.* is not one SQL expression$/,
    );
    expect(await rows()).toBe(rowsBefore);
    expect(await indexes()).toEqual(indexesBefore);
  });

  it('the files the commands wrote themselves are accepted: verify --trial --json, then report --advice --verify', async () => {
    const trial = await runCli(['verify', '--trial', advice, '--db', db.url, '--from', `sql:${workload}`, '--runs', '1', '--json', '-q']);
    expect(trial.code).toBe(0);
    const trialPath = join(dir, 'trial.json');
    writeFileSync(trialPath, trial.stdout);
    const out = join(dir, 'accepted.md');
    const report = await runCli([
      'report',
      '--db',
      db.url,
      '--from',
      `sql:${workload}`,
      '--advice',
      advice,
      '--verify',
      trialPath,
      '--out',
      out,
      '-q',
    ]);
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('by_region');
  });
});
