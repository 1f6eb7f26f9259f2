/** Bad databases give one clear line on stderr and exit code 2, and never print a password. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
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
