/**
 * `--from log:FILE` on logs as hosted PostgreSQL services hand them out: one fixture per
 * format in test/fixtures/logs/ (written for these tests, see its README.md), each holding
 * the same five statements — one multi-line, one with its parameters in a DETAIL line, one
 * longer than syslog's 900-byte chunks — among lines that are not statements. Compressed
 * copies are made here with Debian's gzip, bzip2, xz and zstd.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadParser } from '../src/analysis/parse.js';
import { InputError } from '../src/errors.js';
import type { LogFileSummary, RawStatement, Workload } from '../src/model/workload.js';
import { WorkloadCollector } from '../src/workload/collector.js';
import { compileLogPrefix } from '../src/workload/parsers/log-prefix.js';
import { detectLogFormat, LOG_FORMATS, type LogReadOptions, readLogStatements } from '../src/workload/sources/log-file.js';
import { sqlStatements } from '../src/workload/sources/sql-file.js';
import { runCli } from './helpers/cli.js';

const FIXTURES = new URL('./fixtures/logs/', import.meta.url).pathname;
const fixture = (name: string) => join(FIXTURES, name);

const MULTI_LINE = 'SELECT o.id,\n       o.total\n  FROM orders o\n WHERE o.customer_id = 7\n ORDER BY o.created_at DESC';
const LONG_IN_LIST = `SELECT id, status FROM orders WHERE id IN (${Array.from({ length: 180 }, (_, i) => 1000 + i).join(', ')})`;
/** The five statements every fixture holds, as a person counts them. */
const STATEMENTS = [
  'SELECT * FROM orders WHERE id = 1',
  MULTI_LINE,
  'SELECT * FROM customers WHERE email = $1 AND tenant_id = $2',
  LONG_IN_LIST,
  "UPDATE orders SET status = 'paid' WHERE id = 2",
];
const WITH_PARAMETERS = "SELECT * FROM customers WHERE email = 'ann@example.com' AND tenant_id = '3'";

/** Each fixture, the format detection should name, and the lines that are not PostgreSQL log lines. */
const FORMATS: readonly { file: string; format: string; skipped: number }[] = [
  { file: 'stderr.log', format: 'stderr', skipped: 0 },
  { file: 'rds.log', format: 'rds', skipped: 0 },
  { file: 'syslog.log', format: 'syslog', skipped: 0 },
  { file: 'logplex.log', format: 'logplex', skipped: 0 },
  { file: 'quoted-csvlog.txt', format: 'csvlog', skipped: 0 },
  { file: 'jsonlog.json', format: 'jsonlog', skipped: 0 },
  // an operator line and a pg_controldata record
  { file: 'cloudnativepg.log', format: 'jsonlog', skipped: 2 },
  // an audit-log entry
  { file: 'cloud-logging.json', format: 'jsonlog', skipped: 1 },
  { file: 'azure.json', format: 'jsonlog', skipped: 0 },
  { file: 'cloudwatch.json', format: 'jsonlog', skipped: 0 },
];

async function read(path: string, options: LogReadOptions = {}): Promise<{ workload: Workload; summary: LogFileSummary }> {
  let summary: LogFileSummary | undefined;
  const workload = await collect(readLogStatements(path, { ...options, onSummary: (s) => (summary = s) }));
  return { workload, summary: summary as LogFileSummary };
}

async function collect(statements: AsyncIterable<RawStatement> | Iterable<RawStatement>): Promise<Workload> {
  const collector = new WorkloadCollector();
  for await (const statement of statements) collector.add(statement);
  return collector.result();
}

const callsByFingerprint = (workload: Workload) => Object.fromEntries(workload.queries.map((q) => [q.fingerprint, q.calls]));
const withoutSources = (workload: Workload) => workload.queries.map(({ sources: _, ...q }) => q);
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as Error,
  );

describe('log:FILE in the formats hosted services write', () => {
  let expected: Workload;
  let dir: string;

  beforeAll(async () => {
    await loadParser();
    expected = await collect(sqlStatements(STATEMENTS.map((s) => `${s};`).join('\n'), 'sql:expected'));
    dir = await mkdtemp(join(tmpdir(), 'indexwise-log-formats-'));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const { file, format, skipped } of FORMATS) {
    it(`${file}: detected as ${format}, exactly the five statements, whole, with their parameters`, async () => {
      const { workload, summary } = await read(fixture(file));
      expect(summary.format).toBe(format);
      expect(callsByFingerprint(workload)).toEqual(callsByFingerprint(expected));
      expect(workload.skipped).toEqual([]);
      const samples = workload.queries.flatMap((q) => q.samples);
      expect(samples).toContain(MULTI_LINE);
      expect(samples).toContain(LONG_IN_LIST);
      expect(samples).toContain(WITH_PARAMETERS);
      // every statement carries its logged duration
      for (const q of workload.queries) expect(q.totalTimeMs, q.sql).toBeGreaterThan(0);
      expect(summary.skippedLines).toBe(skipped);
      expect(summary.logLines + summary.skippedLines).toBe(summary.lines);
    });
  }

  it('the same formats given with --log-format read the same (the JSON names share one reader)', async () => {
    for (const [file, format] of [
      ['cloudnativepg.log', 'cloudnativepg'],
      ['cloudnativepg.log', 'jsonlog'],
      ['cloud-logging.json', 'cloud-logging'],
      ['azure.json', 'azure'],
      ['quoted-csvlog.txt', 'csvlog'],
      ['logplex.log', 'syslog'],
    ] as const) {
      const { workload } = await read(fixture(file), { format });
      expect(callsByFingerprint(workload), `${file} as ${format}`).toEqual(callsByFingerprint(expected));
    }
  });

  it('a Cloud Logging or CloudWatch export listed newest first joins each DETAIL to its own statement', async () => {
    const reversed = async (file: string, list: (json: unknown) => unknown[]) => {
      // the bind's DETAIL (the first one) gets other values than the execute's, so a DETAIL joined to the wrong line shows
      const json: unknown = JSON.parse((await readFile(fixture(file), 'utf8')).replace("'ann@example.com'", "'bob@example.com'"));
      list(json).reverse();
      const path = join(dir, `newest-first-${file}`);
      await writeFile(path, JSON.stringify(json, null, 1));
      return path;
    };
    for (const path of [
      await reversed('cloud-logging.json', (entries) => entries as unknown[]),
      await reversed('cloudwatch.json', (output) => (output as { events: unknown[] }).events),
    ]) {
      const { workload } = await read(path);
      expect(callsByFingerprint(workload), path).toEqual(callsByFingerprint(expected));
      expect(workload.queries.flatMap((q) => q.samples)).toContain(WITH_PARAMETERS);
      // the parse line has no parameters, the bind's DETAIL is not the execute's: each stays with its own line
      expect(workload.queries.find((q) => q.sql.startsWith('SELECT * FROM customers'))?.samples).toEqual([WITH_PARAMETERS]);
    }
  });

  it('a syslog statement interleaved with another process, and cut at 900 bytes, is joined whole', async () => {
    const text = await readFile(fixture('syslog.log'), 'utf8');
    // the fixture really has what this test is about
    expect(text).toMatch(/postgres\[312\]: \[3-2\] #011/);
    expect(text).toMatch(/postgres\[390\]: \[1-1\][^\n]*\n[^\n]*postgres\[312\]: \[3-3\]/);
    expect(text).toMatch(/postgres\[311\]: \[6-2\] {2}\d/);
    const { workload } = await read(fixture('syslog.log'));
    expect(workload.queries.find((q) => q.sql.startsWith('SELECT o.id'))?.samples).toEqual([MULTI_LINE]);
  });

  it('--log-prefix reads a prefix the guess cannot, and filters by user, database and application', async () => {
    const prefix = '%m|%a|%u|%d|%p| ';
    const path = fixture('custom-prefix.log');
    const all = await read(path, { prefix });
    // the five statements, and one more by the user "report" with psql
    expect(all.workload.queries).toHaveLength(6);
    for (const filter of [{ user: 'app' }, { application: 'web' }, { user: 'app', database: 'shop' }]) {
      const { workload } = await read(path, { prefix, ...filter });
      expect(callsByFingerprint(workload), JSON.stringify(filter)).toEqual(callsByFingerprint(expected));
    }
    expect((await read(path, { prefix, user: 'report' })).workload.queries.map((q) => q.sql)).toEqual(['SELECT count(*) FROM customers']);
    // without the prefix, the guess finds no user names: said, not an empty result
    const error = await failure(read(path, { user: 'app' }));
    expect(error).toBeInstanceOf(InputError);
    expect(error?.message).toMatch(/does not record user names: --log-user needs csvlog, jsonlog or %u/);
    // the prefix after syslog's header, and inside JSON records' text
    const syslog = await read(fixture('syslog.log'), { prefix: 'user=%u,db=%d,app=%a ', user: 'app', application: 'web' });
    expect(callsByFingerprint(syslog.workload)).toEqual(callsByFingerprint(expected));
    const cloudSql = await read(fixture('cloud-logging.json'), { prefix: '%m [%p]: [%l-1] db=%d,user=%u ', database: 'shop' });
    expect(callsByFingerprint(cloudSql.workload)).toEqual(callsByFingerprint(expected));
    // a prefix that does not fit: not one line read, said
    const wrong = await failure(read(path, { prefix: '%t [%p] ' }));
    expect(wrong?.message).toMatch(/not one of its 19 lines looks like a PostgreSQL log line .*--log-prefix '%t \[%p\] '/);
  });

  it('compiles log_line_prefix escapes: padding, %q, %%, and refuses an unknown escape', () => {
    const head = compileLogPrefix('%t [%-6p] %q%u@%d 100%% ')('2024-05-01 10:00:00 UTC [42    ] ann@shop 100% LOG:  statement: SELECT 1');
    expect(head).toEqual({ severity: 'LOG', text: 'statement: SELECT 1', prefix: { process: '42', user: 'ann', database: 'shop' } });
    // a process without a session stops at %q
    expect(compileLogPrefix('%t [%p] %q%u@%d ')('2024-05-01 10:00:00 UTC [7] LOG:  checkpoint starting: time')?.prefix).toEqual({
      process: '7',
    });
    expect(() => compileLogPrefix('%t %z ')).toThrow(/%z, which log_line_prefix does not know/);
  });

  it("syslog without sequence numbers, among other programs' lines (ISO times, as journald prints them)", async () => {
    const path = join(dir, 'journal.log');
    await writeFile(
      path,
      [
        '2024-05-01T10:00:00+0000 db1 postgres[311]: user=app,db=shop LOG:  duration: 0.412 ms  statement: SELECT * FROM orders WHERE id = 1',
        '2024-05-01T10:00:00+0000 db1 CRON[999]: (root) CMD (run-parts /etc/cron.hourly)',
      ].join('\n'),
    );
    const { workload, summary } = await read(path);
    expect(summary).toMatchObject({
      format: 'syslog',
      lines: 2,
      logLines: 1,
      skipped: [{ reason: 'a syslog line of no PostgreSQL message', count: 1 }],
    });
    expect(workload.queries.map((q) => [q.sql, q.calls])).toEqual([['SELECT * FROM orders WHERE id = $1', 1]]);
  });

  it("an RDS log exported from CloudWatch to a bucket (each event's time before its line) reads as the RDS file", async () => {
    const rds = await readFile(fixture('rds.log'), 'utf8');
    const path = join(dir, 'cloudwatch-export.txt');
    await writeFile(path, rds.replace(/^(?=\d)/gm, '2024-05-01T10:00:00.000Z '));
    const { workload, summary } = await read(path);
    expect(summary).toMatchObject({ format: 'stderr', skippedLines: 0 });
    expect(withoutSources(workload)).toEqual(withoutSources((await read(fixture('rds.log'))).workload));
    expect((await read(path, { database: 'shop', user: 'app' })).workload.queries).toHaveLength(5);
  });

  it('detects csvlog with a quoted timestamp, syslog, logplex and RDS by content', () => {
    const head = async (file: string) => (await readFile(fixture(file), 'utf8')).slice(0, 4000);
    return Promise.all([
      head('quoted-csvlog.txt').then((text) => expect(detectLogFormat('/x/export.txt', text)).toBe('csvlog')),
      head('syslog.log').then((text) => expect(detectLogFormat('/x/messages', text)).toBe('syslog')),
      head('logplex.log').then((text) => expect(detectLogFormat('/x/heroku.txt', text)).toBe('logplex')),
      head('rds.log').then((text) => expect(detectLogFormat('/x/error/postgresql.log.2024-05-01-10', text)).toBe('rds')),
    ]);
  });

  it('reads gzip, bzip2, xz and zstd by their magic bytes, whatever the name, as the plain file', async () => {
    const plain = await read(fixture('stderr.log'));
    for (const [program, compression] of [
      ['gzip', 'gzip'],
      ['bzip2', 'bzip2'],
      ['xz', 'xz'],
      ['zstd', 'zstd'],
    ] as const) {
      const path = join(dir, `stderr-${program}.log`);
      await writeFile(path, execFileSync(program, ['-c', fixture('stderr.log')]));
      const { workload, summary } = await read(path);
      expect(summary.compression).toBe(compression);
      expect(withoutSources(workload)).toEqual(withoutSources(plain.workload));
    }
  });

  it('mixed compressed and plain logs of different formats combine into one workload', async () => {
    const inputs: [string, string | null][] = [
      ['syslog.log', 'bzip2'],
      ['cloudnativepg.log', 'xz'],
      ['quoted-csvlog.txt', 'zstd'],
      ['cloud-logging.json', 'gzip'],
      ['stderr.log', null],
    ];
    const collector = new WorkloadCollector();
    for (const [file, program] of inputs) {
      let path = fixture(file);
      if (program !== null) {
        path = join(dir, `mixed-${file}.${program}`);
        await writeFile(path, execFileSync(program, ['-c', fixture(file)]));
      }
      for await (const statement of readLogStatements(path)) collector.add(statement);
    }
    const workload = collector.result();
    for (const [fingerprint, calls] of Object.entries(callsByFingerprint(expected))) {
      expect(callsByFingerprint(workload)[fingerprint]).toBe(inputs.length * calls);
    }
    expect(workload.queries.find((q) => q.sql.startsWith('SELECT o.id'))?.sources).toHaveLength(inputs.length);
  });

  it('says what it cannot read, in one line: empty, binary, HTML, a zip, a broken bzip2, a missing program', async () => {
    const cases: [string, Buffer | string, RegExp][] = [
      ['empty.log', '', /the file is empty$/],
      ['random.bin', randomBytes(8192), /it is binary data, not a text log, nor gzip, bzip2, xz or zstd$/],
      [
        'page.log',
        await readFile(fixture('not-a-log.html')),
        /not one of its 8 lines looks like a PostgreSQL log line \(read as stderr\); give its format with --log-format \(.*\) or its log_line_prefix with --log-prefix$/,
      ],
      ['logs.zip', Buffer.from('PK\x03\x04 then the rest of a zip file'), /it is a zip archive \(unzip it first\)/],
      [
        'broken.bz2',
        execFileSync('bzip2', ['-c', fixture('stderr.log')]).subarray(0, 200),
        /bzip2 says "Compressed file ends unexpectedly"$/,
      ],
      ['empty.gz', execFileSync('gzip', ['-c'], { input: '' }), /it holds nothing once decompressed \(gzip\)$/],
    ];
    for (const [name, content, message] of cases) {
      const path = join(dir, name);
      await writeFile(path, content);
      const error = await failure(read(path));
      expect(error, name).toBeInstanceOf(InputError);
      expect(error?.message, name).toMatch(message);
      expect(error?.message, name).not.toContain('\n');
    }
    const path = join(dir, 'needs-xz.log');
    await writeFile(path, execFileSync('xz', ['-c', fixture('stderr.log')]));
    const savedPath = process.env.PATH;
    process.env.PATH = join(dir, 'no-programs-here');
    try {
      const error = await failure(read(path));
      expect(error?.message).toMatch(/it is xz-compressed and the xz program is not installed \(Debian: apt-get install xz-utils\)$/);
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('a log of log lines without statements (autovacuum, checkpoints) is a valid empty workload', async () => {
    const { workload, summary } = await read(fixture('vacuum-only.log'));
    expect(workload.queries).toEqual([]);
    expect(summary).toMatchObject({ lines: 6, logLines: 6, skippedLines: 0 });
  });

  it('counts the lines that are not log lines, and says why', async () => {
    const path = join(dir, 'with-noise.log');
    const stderr = await readFile(fixture('stderr.log'), 'utf8');
    await writeFile(
      path,
      `cp: cannot stat 'pg_wal/000000010000000000000003': No such file or directory\n${stderr}\nsh: 1: gsutil: not found\n`,
    );
    const { workload, summary } = await read(path);
    expect(callsByFingerprint(workload)).toEqual(callsByFingerprint(expected));
    expect(summary.skippedLines).toBe(2);
    expect(summary.skipped).toEqual([{ reason: 'no log_line_prefix and severity (LOG:, ERROR:, …) found', count: 2 }]);
    const json = join(dir, 'with-noise.json');
    await writeFile(json, `${await readFile(fixture('jsonlog.json'), 'utf8')}{"half-written": \nnot json at all\n`);
    const jsonSummary = (await read(json)).summary;
    expect(jsonSummary.skipped).toEqual([{ reason: 'not JSON', count: 2 }]);
  });
});

/** Deterministic bytes that are no text (xorshift). */
function randomBytes(length: number): Buffer {
  let state = 0x2545f491;
  return Buffer.from(
    Array.from({ length }, () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state & 0xff;
    }),
  );
}

describe('analyze --from log: on the command line', () => {
  let dir: string;
  let db: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'indexwise-log-cli-'));
    db = join(dir, 'shop.db');
    const sqlite = new Database(db);
    sqlite.exec('CREATE TABLE orders (id integer PRIMARY KEY, customer_id int, total numeric, status text, created_at text)');
    sqlite.exec('CREATE TABLE customers (id integer PRIMARY KEY, email text, tenant_id int)');
    sqlite.close();
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const analyze = (...args: string[]) => runCli(['analyze', '--db', `sqlite:${db}`, '--quiet', ...args]);

  it('a bzip2 file and its decompressed twin give the same --json workload', async () => {
    const compressed = join(dir, 'postgresql.log.1');
    await writeFile(compressed, execFileSync('bzip2', ['-c', fixture('syslog.log')]));
    const [plain, bzipped] = await Promise.all([
      analyze('--json', '--from', `log:${fixture('syslog.log')}`),
      analyze('--json', '--from', `log:${compressed}`),
    ]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(bzipped.code, bzipped.stderr).toBe(0);
    const workload = (stdout: string) => {
      const { queries, logs, ...rest } = JSON.parse(stdout).workload as Workload;
      return { ...rest, queries: queries.map(({ sources: _, ...q }) => q), logs: logs?.map(({ source: _, compression: __, ...l }) => l) };
    };
    expect(workload(bzipped.stdout)).toEqual(workload(plain.stdout));
    expect(workload(plain.stdout).queries).toHaveLength(5);
    expect(JSON.parse(bzipped.stdout).workload.logs[0]).toMatchObject({
      format: 'syslog',
      compression: 'bzip2',
      lines: 20,
      skippedLines: 0,
    });
  });

  it('a random binary file, an HTML page and an empty file: exit 2 and one line each', async () => {
    await writeFile(join(dir, 'random.bin'), randomBytes(4096));
    await writeFile(join(dir, 'empty.log'), '');
    for (const path of [join(dir, 'random.bin'), fixture('not-a-log.html'), join(dir, 'empty.log')]) {
      const result = await analyze('--from', `log:${path}`);
      expect(result.code, path).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n'), path).toHaveLength(1);
      expect(result.stderr).toContain(path);
    }
    const html = await analyze('--from', `log:${fixture('not-a-log.html')}`);
    expect(html.stderr).toMatch(/--log-format .*--log-prefix/);
  });

  it('a vacuum-only log: exit 0, 0 statements', async () => {
    const result = await analyze('--json', '--from', `log:${fixture('vacuum-only.log')}`);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).workload.queries).toEqual([]);
  });

  it('says how many lines were skipped and why, and filters with --log-prefix and --log-user', async () => {
    const noisy = join(dir, 'noisy.log');
    await writeFile(noisy, `archive: copy failed\n${await readFile(fixture('stderr.log'), 'utf8')}`);
    const human = await analyze('--from', `log:${noisy}`);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(
      `log:${noisy} (stderr): 1 of 19 lines skipped: 1 no log_line_prefix and severity (LOG:, ERROR:, …) found`,
    );
    const filtered = await analyze(
      '--json',
      '--from',
      `log:${fixture('custom-prefix.log')}`,
      '--log-prefix',
      '%m|%a|%u|%d|%p| ',
      '--log-user',
      'report',
    );
    expect(filtered.code, filtered.stderr).toBe(0);
    expect(JSON.parse(filtered.stdout).workload.queries.map((q: { sql: string }) => q.sql)).toEqual(['SELECT count(*) FROM customers']);
    const help = await runCli(['analyze', '--help']);
    for (const format of LOG_FORMATS) expect(help.stdout).toContain(format);
    expect(help.stdout).toContain('--log-prefix');
  });
});
