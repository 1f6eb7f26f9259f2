/** Bad databases give one clear line on stderr and exit code 2, and never print a password. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from './helpers/cli.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from './helpers/postgres.js';
import { tempDir } from './helpers/temp.js';

function expectOneLineError(result: { code: number | null; stdout: string; stderr: string }, pattern: RegExp) {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^indexwise: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace
}

describe('bad connection strings', () => {
  it('an unknown scheme', async () => {
    const result = await runCli(['inspect', '--db', 'mysql://root:hunter2@localhost/app']);
    expectOneLineError(result, /unknown database "mysql:"/);
    expect(result.stderr).not.toContain('hunter2');
  });

  it('no database at all', async () => {
    const result = await runCli(['inspect'], { env: { DATABASE_URL: undefined } });
    expectOneLineError(result, /no database given/);
  });

  it('an unreachable host', async () => {
    const result = await runCli(['inspect', '--db', 'postgres://someone:hunter2@127.0.0.1:1/app']);
    expectOneLineError(result, /cannot connect to postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/app: connection refused/);
    expect(result.stderr).not.toContain('hunter2');
  });

  it('a missing SQLite file', async () => {
    const result = await runCli(['inspect', '--db', 'sqlite:/nonexistent/dir/app.db']);
    expectOneLineError(result, /cannot open sqlite:\/nonexistent\/dir\/app\.db: no such file/);
    const byExtension = await runCli(['inspect', '--db', '/nonexistent/app.sqlite3']);
    expectOneLineError(byExtension, /no such file/);
  });

  it('a PGlite directory that does not exist or is not a database', async () => {
    const result = await runCli(['inspect', '--db', 'pglite:/nonexistent/pgdata']);
    expectOneLineError(result, /no such directory/);
    const empty = tempDir('empty');
    expectOneLineError(await runCli(['inspect', '--db', `pglite:${empty}`]), /not a PGlite data directory/);
  });

  it('DATABASE_URL is used when --db is absent', async () => {
    const result = await runCli(['inspect'], { env: { DATABASE_URL: 'oracle://x' } });
    expectOneLineError(result, /unknown database "oracle:"/);
  });

  it('a bad flag value', async () => {
    const result = await runCli(['demo', '--scale', 'lots']);
    expectOneLineError(result, /--scale must be a positive number/);
  });
});

describe('usage errors are one exact line and exit 2', () => {
  it('an unknown flag, on a command and on a nested command (which exited 1)', async () => {
    for (const args of [['inspect', '--bogus'], ['monitor', 'snapshot', '--bogus'], ['--bogus']]) {
      const result = await runCli(args);
      expect(result, args.join(' ')).toEqual({ code: 2, stdout: '', stderr: "indexwise: unknown option '--bogus' (see --help)\n" });
    }
    expect(await runCli(['bogus'])).toEqual({ code: 2, stdout: '', stderr: "indexwise: unknown command 'bogus' (see --help)\n" });
  });

  it('control characters from the input reach the terminal escaped', async () => {
    const db = await runCli(['inspect', '--db', 'sqlite:/nonexistent/a\u001b[2Jb\u009b.db']);
    expect(db).toEqual({ code: 2, stdout: '', stderr: 'indexwise: cannot open sqlite:/nonexistent/a\\x1b[2Jb\\x9b.db: no such file\n' });
    const scale = await runCli(['demo', '--scale', '1\n\u001b]0;title\u0007']);
    expect(scale).toEqual({
      code: 2,
      stdout: '',
      stderr: 'indexwise: --scale must be a positive number, got "1\\x0a\\x1b]0;title\\x07"\n',
    });
  });

  it('demo --keep FILE says the path is a file (was "[object Object]") and leaves the file alone', async () => {
    const file = join(tempDir('keep'), 'notes.txt');
    writeFileSync(file, 'mine');
    expect(await runCli(['demo', '--keep', file])).toEqual({
      code: 2,
      stdout: '',
      stderr: `indexwise: --keep ${file} is a file: the PostgreSQL demo keeps a directory (a SQLite file needs --engine sqlite)\n`,
    });
    expect(await runCli(['inspect', '--db', `pglite:${file}`])).toEqual({
      code: 2,
      stdout: '',
      stderr: `indexwise: cannot open pglite:${file}: it is a file, not a directory\n`,
    });
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('--store table: without a table is refused and creates no file named "table:"', async () => {
    const result = await runCli(['monitor', 'snapshot', '--db', 'pglite:memory', '--store', 'table:']);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'indexwise: --store table: needs a table, as table:NAME or table:SCHEMA.NAME\n',
    });
    expect(existsSync(join(PROJECT_ROOT, 'table:'))).toBe(false);
  });
});

describe.skipIf(!hasPostgres)('sslmode on a server without SSL', () => {
  const url = new URL(process.env.INDEXWISE_TEST_PG_URL ?? 'postgres://localhost');

  it('sslmode=require: one line, no node-postgres SECURITY WARNING', async () => {
    url.search = '?sslmode=require';
    const result = await runCli(['inspect', '--db', url.toString()]);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `indexwise: cannot connect to ${url.toString()}: The server does not support SSL connections\n`,
    });
  });

  it('sslmode=prefer falls back to a plain connection, as libpq does', async () => {
    url.search = '?sslmode=prefer';
    const result = await runCli(['inspect', '--db', url.toString(), '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).info.target).toBe(url.toString());
  });
});

describe.skipIf(!hasPostgres)('bad credentials on a real server', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('cli_errors', []);
    await db.sql(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'indexwise_pw') THEN
        CREATE ROLE indexwise_pw LOGIN PASSWORD 'right-password';
      END IF; END $$`);
  });
  afterAll(async () => db?.drop());

  it('a wrong password', async () => {
    const url = new URL(db.url);
    url.username = 'indexwise_pw';
    url.password = 'wrong-password';
    const result = await runCli(['inspect', '--db', url.toString()]);
    expectOneLineError(result, /password authentication failed for user "indexwise_pw"/);
    expect(result.stderr).not.toContain('wrong-password');
  });

  it('a database that does not exist', async () => {
    const url = new URL(db.url);
    url.pathname = '/no_such_database_here';
    const result = await runCli(['inspect', '--db', url.toString()]);
    expectOneLineError(result, /database "no_such_database_here" does not exist/);
  });

  it('the right credentials work', async () => {
    const url = new URL(db.url);
    url.username = 'indexwise_pw';
    url.password = 'right-password';
    const result = await runCli(['inspect', '--db', url.toString(), '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).info.target).not.toContain('right-password');
  });
});
