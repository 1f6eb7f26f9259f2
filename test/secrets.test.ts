/**
 * Passwords are never shown: for roles whose passwords hold "/", "@", ":", "%", spaces and
 * quotes, given as a raw URL, a percent-encoded URL, libpq's key/value form and a
 * unix-socket URL, no stdout, stderr or written file of any command contains the password,
 * its percent-encoded form or the random token around it — on the error paths (wrong port,
 * database, user; malformed strings) and on the success paths that write files.
 * The roles authenticate with SCRAM over 127.0.0.1 (scripts/pg-cluster.sh: only "postgres"
 * is trusted there), so a success also proves the password was read right.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/engines/connect.js';
import { redactConnectionString } from '../src/engines/connection-string.js';
import { IndexwiseError } from '../src/errors.js';
import { type CliResult, runCli } from './helpers/cli.js';
import { adminUrl, createTestDatabase, hasPostgres, type TestDatabase } from './helpers/postgres.js';
import { tempDir } from './helpers/temp.js';

const token = `QZ${randomBytes(4).toString('hex')}`;
/** Each password starts and ends with the token, so any fragment of it that leaks is found. */
const PASSWORDS = {
  slash: `${token}Sup3r/Secret${token}`,
  at: `${token}Ab@Cd9${token}`,
  colon: `${token}co:lo:n${token}`,
  percent: `${token}50%off%g1%${token}`,
  space: `${token}with two spaces${token}`,
  all: `${token}a/b@c:d%e f'g\\h${token}`,
} as const;
type PasswordName = keyof typeof PASSWORDS;

const server = new URL(adminUrl ?? 'postgres://localhost');
const host = server.hostname;
const port = server.port || '5432';
const role = (name: PasswordName) => `ixsec_${name}_${token.toLowerCase()}`;
const quoted = (value: string) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/** The forms of one connection: the same role, password and database written four ways. */
function forms(name: PasswordName, database: string, overrides: { port?: string } = {}): Record<string, string> {
  const pw = PASSWORDS[name];
  const p = overrides.port ?? port;
  return {
    raw: `postgres://${role(name)}:${pw}@${host}:${p}/${database}`,
    encoded: `postgresql://${role(name)}:${encodeURIComponent(pw)}@${host}:${p}/${database}`,
    keyValue: `host=${host} port=${p} user=${role(name)} password=${quoted(pw)} dbname=${database}`,
    query: `postgres://${host}:${p}/${database}?user=${role(name)}&password=${encodeURIComponent(pw)}`,
  };
}

/** Everything a password could be seen as. */
function secretsOf(name: PasswordName): string[] {
  const pw = PASSWORDS[name];
  return [token, pw, encodeURIComponent(pw), encodeURI(pw)];
}

function expectNoSecret(text: string, where: string): void {
  for (const name of Object.keys(PASSWORDS) as PasswordName[]) {
    for (const secret of secretsOf(name)) expect(text.includes(secret), `${where} shows ${JSON.stringify(secret)}`).toBe(false);
  }
}

function expectClean(result: CliResult, where: string): void {
  expectNoSecret(result.stdout, `${where}: stdout`);
  expectNoSecret(result.stderr, `${where}: stderr`);
}

/** Every file under `dir`, read as bytes (a SQLite store too). */
function expectNoSecretInFiles(dir: string): void {
  for (const entry of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, entry);
    if (statSync(path).isFile()) expectNoSecret(readFileSync(path).toString('latin1'), path);
  }
}

function expectOneLineError(result: CliResult, where: string, pattern: RegExp): void {
  expectClean(result, where);
  expect(result.code, `${where}: ${result.stderr}`).toBe(2);
  expect(result.stderr.trim().split('\n'), where).toHaveLength(1);
  expect(result.stderr.trim(), where).toMatch(pattern);
}

/** At most three CLIs at a time (each is a node process). */
async function runAll<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    [1, 2, 3].map(async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
    }),
  );
}

describe.skipIf(!hasPostgres)('passwords are never shown (PostgreSQL, SCRAM)', () => {
  let db: TestDatabase;
  let socketDir: string;
  const out = tempDir('secrets');
  const workload = join(out, 'workload.sql');

  beforeAll(async () => {
    db = await createTestDatabase('secrets');
    await db.sql(`CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, total numeric);
      INSERT INTO orders SELECT g, g % 2000, CASE WHEN g % 10 = 0 THEN 'open' ELSE 'done' END, g % 97 FROM generate_series(1, 40000) g;
      ANALYZE orders`);
    for (const name of Object.keys(PASSWORDS) as PasswordName[]) {
      // The password is a bound value, quoted by format(%L): never SQL pasted together.
      // Superuser: the commands read pg_stat_statements, use HypoPG and (monitor) create a table.
      const [create] = (
        await db.sql('SELECT format($f$CREATE ROLE %I LOGIN SUPERUSER PASSWORD %L$f$, $1::text, $2::text) AS sql', [
          role(name),
          PASSWORDS[name],
        ])
      ).rows as { sql: string }[];
      await db.sql((create as { sql: string }).sql);
    }
    socketDir = String((await db.sql('SHOW unix_socket_directories')).rows[0]?.unix_socket_directories).split(',')[0] as string;
    writeFileSync(workload, '-- name: by customer\nSELECT id, total FROM orders WHERE customer_id = 42 AND status = $1;\n');
  });

  afterAll(async () => {
    await db?.drop();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    for (const name of Object.keys(PASSWORDS) as PasswordName[]) await admin.query(`DROP ROLE IF EXISTS ${role(name)}`);
    await admin.end();
  });

  it('every form of every password connects, and the target shows none of it', async () => {
    for (const name of Object.keys(PASSWORDS) as PasswordName[]) {
      for (const [form, url] of Object.entries(forms(name, db.name))) {
        const engine = await connect(url);
        const target = (await engine.info()).target;
        await engine.close();
        expectNoSecret(target, `${name}/${form}`);
        expect(target, `${name}/${form}`).toBe(`postgres${form === 'encoded' ? 'ql' : ''}://${role(name)}:***@${host}:${port}/${db.name}`);
      }
    }
  });

  it('wrong port, database or user, and malformed strings: errors that hold no password', async () => {
    for (const name of Object.keys(PASSWORDS) as PasswordName[]) {
      const pw = PASSWORDS[name];
      const cases: [string, RegExp][] = [
        ...Object.values(forms(name, db.name, { port: '1' })).map((url): [string, RegExp] => [url, /connection refused/]),
        [forms(name, 'no_such_db').raw, /database "no_such_db" does not exist/],
        [forms(name, 'no_such_db').keyValue, /database "no_such_db" does not exist/],
        [forms(name, db.name).raw.replace(role(name), 'ixsec_nobody'), /password authentication failed for user "ixsec_nobody"/],
        [`postgres://${role(name)}:${pw}@${host}:port/${db.name}`, /port is not a number/],
        [`postgres://${role(name)}:1?${pw}@${host}/${db.name}`, /malformed PostgreSQL URL/],
        [`host=${host} password='${pw} dbname=${db.name}`, /no closing quote|not followed by "="/],
        [`host=${host} password=${pw} x dbname=${db.name}`, /malformed key\/value/],
        [`${role(name)}:${pw}@${host}/${db.name}`, /unknown database/],
      ];
      for (const [url, expected] of cases) {
        const error = await connect(url).then(
          async (engine) => {
            await engine.close();
            return null;
          },
          (e: unknown) => e,
        );
        expect(error, url).toBeInstanceOf(IndexwiseError);
        expect((error as IndexwiseError).exitCode).toBe(2);
        expect((error as Error).message, url).toMatch(expected);
        expectNoSecret((error as Error).message, url);
        expectNoSecret(redactConnectionString(url), `the display of ${url}`);
      }
    }
  });

  it('the CLI: a socket URL, key/value in DATABASE_URL, errors of each kind, one line and no password', async () => {
    const socket = `postgres://${role('all')}:${PASSWORDS.all}@${encodeURIComponent(socketDir)}:${port}/${db.name}`;
    const viaSocket = await runCli(['inspect', '--db', socket, '--json']);
    expect(viaSocket.code, viaSocket.stderr).toBe(0);
    expectClean(viaSocket, 'inspect over the socket');
    expect(JSON.parse(viaSocket.stdout).info.target).toBe(`postgres://${role('all')}:***@:${port}/${db.name}?host=${socketDir}`);
    const viaEnv = await runCli(['inspect', '--json'], { env: { DATABASE_URL: forms('all', db.name).keyValue } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expectClean(viaEnv, 'inspect with DATABASE_URL');
    const pw = PASSWORDS.all;
    const errors: [string, RegExp][] = [
      [
        forms('all', 'no_such_db').keyValue,
        /^indexwise: cannot connect to postgres:\/\/ixsec_all_\w+:\*\*\*@[\d.]+:\d+\/no_such_db: database "no_such_db" does not exist$/,
      ],
      [forms('all', db.name).raw.replace(role('all'), 'ixsec_nobody'), /password authentication failed for user "ixsec_nobody"$/],
      [`postgres://${role('all')}:1?${pw}@${host}/${db.name}`, /^indexwise: malformed PostgreSQL URL \(postgres:\/\/…, not shown\): /],
      [`host=${host} password=${pw} dbname=${db.name}`, /^indexwise: malformed key\/value connection string \(not shown\): /],
    ];
    await runAll(errors, async ([url, expected]) => expectOneLineError(await runCli(['inspect', '--db', url]), url, expected));
  });

  it("every command's connection error hides the password", async () => {
    const bad = forms('all', db.name, { port: '1' }).raw;
    const commands = [
      ['inspect'],
      ['analyze', '--from', `sql:${workload}`],
      ['advise', '--from', `sql:${workload}`],
      ['migrate', '--from', `sql:${workload}`, '--out', join(out, 'never')],
      ['apply', '--from', `sql:${workload}`, '--yes'],
      ['verify', 'baseline', '--from', `sql:${workload}`],
      ['health'],
      ['monitor', 'snapshot', '--store', join(out, 'never.sqlite')],
      ['monitor', 'report', '--store', 'table:ix_snapshots'],
      ['report', '--from', `sql:${workload}`, '--out', join(out, 'never.md')],
      ['demo'],
      ['serve', '--port', '0'],
    ];
    await runAll(commands, async (args) => {
      const result = await runCli([...args, '--db', bad]);
      expectOneLineError(result, args.join(' '), /cannot connect to postgres:\/\/ixsec_all_\w+:\*\*\*@[^ ]+:1\/\w+: connection refused/);
    });
    expectNoSecretInFiles(out);
  }, 300_000); // twelve CLI processes

  it('the commands that write files write no password (raw URL, key/value)', async () => {
    const raw = forms('all', db.name).raw;
    const keyValue = forms('all', db.name).keyValue;
    const files = tempDir('secrets-files');
    const store = join(files, 'monitor.sqlite');
    const runs: [string, string[]][] = [
      ['analyze', ['analyze', '--db', raw, '--from', `sql:${workload}`, '--json']],
      ['advise', ['advise', '--db', raw, '--from', `sql:${workload}`, '--json']],
      ['report html', ['report', '--db', raw, '--from', `sql:${workload}`, '--out', join(files, 'report.html'), '--quiet']],
      ['report md', ['report', `--db=${keyValue}`, '--from', `sql:${workload}`, '--out', join(files, 'report.md'), '--quiet']],
      ['migrate', ['migrate', '--db', keyValue, '--from', `sql:${workload}`, '--out', join(files, 'migrations'), '--quiet']],
      [
        'verify',
        ['verify', 'baseline', '--db', raw, '--from', `sql:${workload}`, '--runs', '1', '--out', join(files, 'base.json'), '--quiet'],
      ],
      ['snapshot file', ['monitor', 'snapshot', '--db', raw, '--store', store, '--json']],
      ['snapshot table', ['monitor', 'snapshot', '--db', keyValue, '--store', 'table:ix_snapshots']],
    ];
    for (const [where, args] of runs) {
      const result = await runCli(args);
      expect(result.code, `${where}: ${result.stderr}`).toBe(0);
      expectClean(result, where);
      if (where === 'advise') writeFileSync(join(files, 'advice.json'), result.stdout);
    }
    // Both forms are one database to the monitor: the report by key/value finds the URL's snapshot.
    const monitored = await runCli(['monitor', 'report', '--db', keyValue, '--store', store, '--json']);
    expect(monitored.code, monitored.stderr).toBe(0);
    expectClean(monitored, 'monitor report');
    expect(JSON.parse(monitored.stdout)).toMatchObject({
      database: `postgres://${role('all')}:***@${host}:${port}/${db.name}`,
      snapshots: 1,
    });
    const applied = await runCli(['apply', '--db', keyValue, '--input', join(files, 'advice.json'), '--yes', '--json']);
    expect(applied.code, applied.stderr).toBe(0);
    expectClean(applied, 'apply');
    expectNoSecretInFiles(files);
    expect(readdirSync(join(files, 'migrations')).length).toBeGreaterThan(0);
    expect(readFileSync(join(files, 'report.html'), 'utf8')).toContain(`${role('all')}:***@`);
    const table = await db.sql("SELECT string_agg(t::text, E'\\n') AS rows FROM ix_snapshots t");
    expectNoSecret(String(table.rows[0]?.rows), 'the ix_snapshots table');
    expect(String(table.rows[0]?.rows)).toContain(`${role('all')}:***@`);
  }, 300_000); // ten CLI processes, advise and verify among them
});
