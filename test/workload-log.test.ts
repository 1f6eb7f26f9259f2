/**
 * `--from log:FILE` on logs the test cluster really wrote (stderr, csvlog and jsonlog at
 * once, see scripts/test.sh), in four databases logging four ways, checked against what
 * the same queries give from the `sql:` source; then edge cases on small inputs.
 */
import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadParser } from '../src/analysis/parse.js';
import { InputError } from '../src/errors.js';
import type { RawStatement, Workload } from '../src/model/workload.js';
import { WorkloadCollector } from '../src/workload/collector.js';
import { parseCsvLog } from '../src/workload/parsers/csvlog.js';
import { type LogEntry, LogTally } from '../src/workload/parsers/log-entry.js';
import { LogStatementReader } from '../src/workload/parsers/log-messages.js';
import { parseLoggedParameters } from '../src/workload/parsers/message-parts.js';
import { parseStderrLog } from '../src/workload/parsers/stderr.js';
import { detectLogFormat, type LogReadOptions, readLogStatements } from '../src/workload/sources/log-file.js';
import { sqlStatements } from '../src/workload/sources/sql-file.js';
import { runCli } from './helpers/cli.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from './helpers/postgres.js';

const logDir = process.env.INDEXWISE_TEST_PG_LOG_DIR;
/** The formats the test cluster writes (scripts/pg-cluster.sh: log_destination = stderr,csvlog,jsonlog). */
const SERVER_FORMATS = ['stderr', 'csvlog', 'jsonlog'] as const;
type ServerFormat = (typeof SERVER_FORMATS)[number];
const SERVER_LOGS: Readonly<Record<ServerFormat, string>> = { stderr: 'postgresql', csvlog: 'postgresql.csv', jsonlog: 'postgresql.json' };
const SEGMENTS: Readonly<Record<ServerFormat, string>> = { stderr: 'segment.log', csvlog: 'segment.csv', jsonlog: 'segment.json' };

interface Step {
  readonly sql: string;
  readonly values?: readonly (string | null)[];
  readonly prepared?: string;
}

const MULTI_LINE = "SELECT i.id,\n       i.name\n  FROM log_items i\n WHERE i.note = 'it''s\nnew'\n ORDER BY i.id";
const TWO_PARAMS = 'SELECT id FROM log_items WHERE name = $1 AND note IS DISTINCT FROM $2';
const COUNT_ABOVE = 'SELECT count(*) FROM log_items WHERE id > $1';

function autoExplainSession(format: 'text' | 'json' | 'xml', simple: string, extended: string): Step[] {
  return [
    { sql: "LOAD 'auto_explain'" },
    { sql: 'SET auto_explain.log_min_duration = 0' },
    { sql: `SET auto_explain.log_format = '${format}'` },
    { sql: simple },
    { sql: extended, values: ['8'] },
  ];
}

/** The known workload, one list of steps per connection. */
const SESSIONS: readonly (readonly Step[])[] = [
  [
    { sql: 'SELECT * FROM log_items WHERE id = 1' },
    { sql: 'SELECT * FROM log_items WHERE id = 2' },
    { sql: 'SELECT * FROM log_items WHERE id = 3' },
    { sql: MULTI_LINE },
    { sql: "UPDATE log_items SET note = 'seen' WHERE id = 4" },
  ],
  [
    { sql: TWO_PARAMS, values: ["it's\nnew", null] },
    { sql: TWO_PARAMS, values: ['plain', 'x'] },
    { sql: COUNT_ABOVE, values: ['1'], prepared: 'count_above' },
    { sql: COUNT_ABOVE, values: ['2'], prepared: 'count_above' },
  ],
  autoExplainSession('text', 'SELECT name FROM log_items WHERE id = 7', 'SELECT note FROM log_items WHERE id = $1'),
  autoExplainSession('json', 'SELECT name, note FROM log_items WHERE id = 9', 'SELECT id FROM log_items WHERE note = $1'),
  autoExplainSession(
    'xml',
    "SELECT id FROM log_items WHERE name < 'n5' AND note IS NULL",
    'SELECT name FROM log_items WHERE id > $1 AND id < 50',
  ),
];
const MARKER = (database: string) => `SELECT 'end of ${database}' AS marker`;

/** Four databases, four ways of logging the same workload. */
const LOGGING = {
  durations: ['log_min_duration_statement = 0'],
  statements: ["log_statement = 'all'"],
  statementsAndDurations: ["log_statement = 'all'", 'log_min_duration_statement = 0'],
  plans: ["session_preload_libraries = 'auto_explain'", 'auto_explain.log_min_duration = 0', "auto_explain.log_format = 'yaml'"],
} as const;
type Logging = keyof typeof LOGGING;
const LOGGINGS = Object.keys(LOGGING) as Logging[];

async function runSession(url: string, steps: readonly Step[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const step of steps) {
      if (step.values === undefined) await client.query(step.sql);
      else await client.query({ text: step.sql, values: [...step.values], ...(step.prepared ? { name: step.prepared } : {}) });
    }
  } finally {
    await client.end();
  }
}

async function collect(statements: AsyncIterable<RawStatement> | Iterable<RawStatement>): Promise<Workload> {
  const collector = new WorkloadCollector();
  for await (const statement of statements) collector.add(statement);
  return collector.result();
}

function callsByFingerprint(workload: Workload): Record<string, number> {
  return Object.fromEntries(workload.queries.map((q) => [q.fingerprint, q.calls]));
}

function samplesOf(workload: Workload, normalizedStart: string): readonly string[] {
  return workload.queries.find((q) => q.sql.startsWith(normalizedStart))?.samples ?? [];
}

async function waitForText(path: string, offset: number, text: string): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 20_000;) {
    if ((await readFile(path)).subarray(offset).toString('utf8').includes(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${path} did not get "${text}" within 20 s`);
}

describe.skipIf(!hasPostgres || !logDir)('log:FILE on logs PostgreSQL wrote', () => {
  const databases = {} as Record<Logging, TestDatabase>;
  let dir: string;
  let expected: Workload;
  const read = (format: ServerFormat, options: LogReadOptions = {}, file = SEGMENTS[format]) =>
    collect(readLogStatements(join(dir, file), options));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'indexwise-log-'));
    for (const logging of LOGGINGS) {
      const db = await createTestDatabase(`log_${logging}`, []);
      databases[logging] = db;
      await db.sql(
        "CREATE TABLE log_items (id int PRIMARY KEY, name text, note text); INSERT INTO log_items SELECT g, 'n' || g, NULL FROM generate_series(1, 100) g",
      );
      for (const setting of LOGGING[logging]) await db.sql(`ALTER DATABASE ${db.name} SET ${setting}`);
    }
    const offsets = await Promise.all(SERVER_FORMATS.map(async (f) => (await stat(join(logDir as string, SERVER_LOGS[f]))).size));
    for (const logging of LOGGINGS) {
      for (const steps of SESSIONS) await runSession(databases[logging].url, steps);
      await runSession(databases[logging].url, [{ sql: MARKER(databases[logging].name) }]);
    }
    const last = `end of ${databases.plans.name}`;
    for (const [i, format] of SERVER_FORMATS.entries()) {
      const server = join(logDir as string, SERVER_LOGS[format]);
      await waitForText(server, offsets[i] as number, last);
      const segment = (await readFile(server)).subarray(offsets[i]);
      await writeFile(join(dir, SEGMENTS[format]), segment);
      if (format === 'stderr') {
        await writeFile(join(dir, 'segment.log.gz'), gzipSync(segment));
        await writeFile(join(dir, 'segment-gzipped-without-suffix'), gzipSync(segment));
      }
    }
    await loadParser();
    const script = [...SESSIONS.flat().map((s) => s.sql), MARKER('x')].join(';\n');
    expected = await collect(sqlStatements(script, 'sql:expected'));
  });

  afterAll(async () => {
    for (const db of Object.values(databases)) await db.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const format of SERVER_FORMATS) {
    for (const logging of LOGGINGS) {
      it(`${format}: the ${logging} database gives the sql: source's fingerprints and calls`, async () => {
        const workload = await read(format, { database: databases[logging].name });
        expect(callsByFingerprint(workload)).toEqual(callsByFingerprint(expected));
        expect(workload.skipped).toEqual([]);
        expect(workload.timed).toBe(logging !== 'statements');
        // every statement has its duration (a plan alone may say 0.000 ms, so plans are checked in total)
        if (logging === 'plans') expect(workload.queries.reduce((sum, q) => sum + q.totalTimeMs, 0)).toBeGreaterThan(0);
        else if (logging !== 'statements') for (const q of workload.queries) expect(q.totalTimeMs, q.sql).toBeGreaterThan(0);
      });
    }

    it(`${format}: parameter values are in the samples, multi-line statements are whole`, async () => {
      for (const logging of ['durations', 'statements', 'statementsAndDurations'] as const) {
        const workload = await read(format, { database: databases[logging].name });
        expect(samplesOf(workload, 'SELECT id FROM log_items WHERE name = $1')).toEqual([
          "SELECT id FROM log_items WHERE name = 'it''s\nnew' AND note IS DISTINCT FROM NULL",
          "SELECT id FROM log_items WHERE name = 'plain' AND note IS DISTINCT FROM 'x'",
        ]);
        expect(samplesOf(workload, 'SELECT i.id')).toEqual([MULTI_LINE]);
      }
      const plans = await read(format, { database: databases.plans.name });
      expect(samplesOf(plans, 'SELECT i.id')).toEqual([MULTI_LINE]);
    });

    it(`${format}: without --log-database every database counts; a plan-only database is then outnumbered`, async () => {
      const all = callsByFingerprint(await read(format));
      // durations + statements + statementsAndDurations; the plans database's plans are not used in a log with statement lines
      for (const [fingerprint, calls] of Object.entries(callsByFingerprint(expected))) expect(all[fingerprint]).toBe(3 * calls);
      expect((await read(format, { database: 'no_such_database' })).queries).toEqual([]);
    });
  }

  it('SQL-level PREPARE and EXECUTE: each EXECUTE counts as the prepared statement, with its values', async () => {
    const db = await createTestDatabase('log_prepared', []);
    try {
      await db.sql('CREATE TABLE prep_items (id int PRIMARY KEY, name text)');
      await db.sql(`ALTER DATABASE ${db.name} SET log_min_duration_statement = 0`);
      const server = join(logDir as string, SERVER_LOGS.stderr);
      const offset = (await stat(server)).size;
      await runSession(db.url, [
        { sql: 'PREPARE by_name (text) AS SELECT id FROM prep_items WHERE name = $1' },
        { sql: "EXECUTE by_name('ann')" },
        { sql: "EXECUTE by_name('it''s')" },
        { sql: MARKER(db.name) },
      ]);
      await waitForText(server, offset, `end of ${db.name}`);
      await writeFile(join(dir, 'prepared.log'), (await readFile(server)).subarray(offset));
      const workload = await collect(readLogStatements(join(dir, 'prepared.log'), { database: db.name }));
      const query = workload.queries.find((q) => q.sql === 'SELECT id FROM prep_items WHERE name = $1');
      expect(query?.calls).toBe(2);
      expect(query?.samples).toEqual(["SELECT id FROM prep_items WHERE name = 'ann'", "SELECT id FROM prep_items WHERE name = 'it''s'"]);
      expect(workload.queries.some((q) => /EXECUTE/i.test(q.sql))).toBe(false);
    } finally {
      await db.drop();
    }
  });

  it('reads the gzipped copy, by suffix and by magic bytes, as the plain one', async () => {
    const options = { database: databases.durations.name };
    const plain = (await read('stderr', options)).queries.map(({ sources: _, ...q }) => q);
    for (const file of ['segment.log.gz', 'segment-gzipped-without-suffix']) {
      const gzipped = (await read('stderr', options, file)).queries.map(({ sources: _, ...q }) => q);
      expect(gzipped).toEqual(plain);
    }
  });

  it('lets a reader stop early, in every format, without a stray stream error', async () => {
    for (const file of [...Object.values(SEGMENTS), 'segment.log.gz']) {
      for await (const statement of readLogStatements(join(dir, file))) {
        expect(statement.source).toBe(`log:${join(dir, file)}`);
        break;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // an unhandled 'error' event would fail the run here
  });

  it('reports progress up to the file size', async () => {
    const path = join(dir, 'segment.log.gz');
    const seen: [number, number][] = [];
    const workload = await collect(readLogStatements(path, { onProgress: (read, total) => seen.push([read, total]) }));
    const { size } = await stat(path);
    expect(workload.queries.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toEqual([size, size]);
  });
});

describe('log:FILE edge cases', () => {
  beforeAll(() => loadParser());

  async function entries(text: string): Promise<LogEntry[]> {
    const out: LogEntry[] = [];
    for await (const entry of parseStderrLog(Readable.from([text]), new LogTally())) out.push(entry);
    return out;
  }

  it('stderr: joins TAB continuation lines and attaches DETAIL to the entry of its own process', async () => {
    const log = [
      '2024-05-01 10:00:00.100 UTC [11] app@shop LOG:  duration: 1.5 ms  execute <unnamed>: SELECT *',
      '\t  FROM orders',
      '2024-05-01 10:00:00.101 UTC [12] app@shop LOG:  duration: 0.1 ms  statement: SELECT 1',
      "2024-05-01 10:00:00.102 UTC [11] app@shop DETAIL:  parameters: $1 = 'a",
      "\tb', $2 = NULL",
      '2024-05-01 10:00:00.103 UTC [13] LOG:  checkpoint starting: time',
      'not a log line',
      '\tso this continuation belongs to nothing',
    ].join('\n');
    const [first, second, third] = await entries(log);
    expect(first).toMatchObject({
      process: '11',
      user: 'app',
      database: 'shop',
      message: 'duration: 1.5 ms  execute <unnamed>: SELECT *\n  FROM orders',
    });
    expect(first?.detail).toBe("parameters: $1 = 'a\nb', $2 = NULL");
    expect(second).toMatchObject({ process: '12', message: 'duration: 0.1 ms  statement: SELECT 1' });
    expect(third).toEqual({ severity: 'LOG', process: '13', message: 'checkpoint starting: time' });
  });

  it('stderr: reads pgbadger-style prefixes and verbose SQLSTATEs', async () => {
    const [entry] = await entries('2024-05-01 10:00:00 UTC [77]: [3-1] user=bob,db=crm,app=psql LOG:  00000: statement: SELECT 2');
    expect(entry).toMatchObject({ process: '77', user: 'bob', database: 'crm', message: 'statement: SELECT 2' });
  });

  it('reads logged parameter lists: quotes, NULL, separators inside values', () => {
    expect(parseLoggedParameters("$1 = 'it''s', $2 = NULL, $3 = 'a, $4 = b'")).toEqual(["it's", null, 'a, $4 = b']);
    expect(parseLoggedParameters("$2 = ''")).toEqual([null, '']);
    expect(parseLoggedParameters('nothing here')).toBeUndefined();
  });

  function readAll(messages: readonly (Partial<LogEntry> & { message: string })[]) {
    const reader = new LogStatementReader('log:test');
    const out = messages.flatMap((m) => [...reader.read({ severity: 'LOG', process: '1', ...m })]);
    return [...out, ...reader.finish()];
  }

  it('counts execute lines with their parameters, ignores parse and bind, counts fetches as time only', () => {
    const detail = "parameters: $1 = 'x'";
    expect(
      readAll([
        { message: 'duration: 0.2 ms  parse <unnamed>: SELECT $1::text', detail },
        { message: 'duration: 0.3 ms  bind <unnamed>: SELECT $1::text', detail },
        { message: 'duration: 0.4 ms  execute <unnamed>: SELECT $1::text', detail },
        { message: 'duration: 0.5 ms  execute fetch from S_1/C_2: SELECT $1::text', detail },
        { message: 'duration: 9 ms  statement: SELECT broken', severity: 'ERROR' },
      ]),
    ).toEqual([
      { sql: 'SELECT $1::text', source: 'log:test', totalTimeMs: 0.4, params: ['x'] },
      { sql: 'SELECT $1::text', source: 'log:test', calls: 0, totalTimeMs: 0.5, params: ['x'] },
    ]);
  });

  it('reads EXECUTE name(args) with its DETAIL prepare line as the prepared statement', () => {
    const detail = 'prepare: SET x = 1; PREPARE "Q" (int, numeric(10,2)) AS SELECT * FROM t WHERE a = $1 AND b > $2;';
    expect(
      readAll([
        { message: 'duration: 1.5 ms  statement: EXECUTE "Q"(7, \'2.5\'::numeric)', detail },
        { message: 'duration: 1 ms  statement: EXECUTE "Q"(7, now())', detail },
        { message: 'duration: 1 ms  statement: EXECUTE q(7)', detail },
        { message: 'duration: 1 ms  statement: EXECUTE q2' },
      ]),
    ).toEqual([
      { sql: 'SELECT * FROM t WHERE a = $1 AND b > $2', source: 'log:test', totalTimeMs: 1.5, params: ['7', '2.5'] },
      // an argument that is not a plain literal: the statement without values
      { sql: 'SELECT * FROM t WHERE a = $1 AND b > $2', source: 'log:test', totalTimeMs: 1 },
      // another name than the one prepared, or no DETAIL: the EXECUTE itself (a utility statement)
      { sql: 'EXECUTE q(7)', source: 'log:test', totalTimeMs: 1 },
      { sql: 'EXECUTE q2', source: 'log:test', totalTimeMs: 1 },
    ]);
  });

  it('uses statement lines of a statement-only log, each with the bare duration of its process', () => {
    expect(
      readAll([
        { message: 'statement: SELECT 1', process: '1' },
        { message: 'statement: SELECT 2', process: '2' },
        { message: 'duration: 2.5 ms', process: '1' },
        { message: 'statement: SELECT 3', process: '2' },
      ]),
    ).toEqual([
      { sql: 'SELECT 1', source: 'log:test', totalTimeMs: 2.5 },
      { sql: 'SELECT 2', source: 'log:test' },
      { sql: 'SELECT 3', source: 'log:test' },
    ]);
  });

  it('uses auto_explain plans only in a log without statement lines', () => {
    const textPlan = {
      message: 'duration: 1.25 ms  plan:\nQuery Text: SELECT a\n  FROM t\nSeq Scan on t  (cost=0.00..1.01 rows=1 width=4)',
    };
    const jsonPlan = {
      message: 'duration: 2 ms  plan:\n{\n  "Query Text": "SELECT \\"b\\" FROM t",\n  "Query Parameters": "$1 = \'7\'",\n  "Plan": {}\n}',
    };
    expect(readAll([textPlan, jsonPlan])).toEqual([
      { sql: 'SELECT a\n  FROM t', source: 'log:test', totalTimeMs: 1.25 },
      { sql: 'SELECT "b" FROM t', source: 'log:test', totalTimeMs: 2, params: ['7'] },
    ]);
    // the text plan comes before its own duration line, as PostgreSQL writes them
    expect(readAll([textPlan, { message: 'duration: 1.3 ms  statement: SELECT a\n  FROM t' }, jsonPlan])).toEqual([
      { sql: 'SELECT a\n  FROM t', source: 'log:test', totalTimeMs: 1.3 },
    ]);
  });

  it('csvlog: tolerates fewer and more columns and skips a half-written last record', async () => {
    const row = (n: number, extra: string) =>
      `2024-05-01 10:00:00.000 UTC,"u","d",${n},"h",s${n},1,"SELECT",,,0,LOG,00000,"duration: 1 ms  statement: SELECT ${n}"${extra}`;
    const csv = `${row(1, '')}\n${row(2, ',,,,,,,,,,,,,"client backend",,0,x,y')}\n${row(3, ',"unterminated')}`;
    const out: LogEntry[] = [];
    for await (const entry of parseCsvLog(Readable.from([csv]), new LogTally())) out.push(entry);
    expect(out.map((e) => [e.process, e.database, e.message])).toEqual([
      ['s1', 'd', 'duration: 1 ms  statement: SELECT 1'],
      ['s2', 'd', 'duration: 1 ms  statement: SELECT 2'],
    ]);
  });

  it('detects the format by name, then by content', () => {
    const csvLine = '2024-05-01 10:00:00.000 UTC,"u","d",42,"h",s,1,,,,,LOG,00000,"x"\n';
    const jsonLine = '{"timestamp":"2024-05-01 10:00:00.000 UTC","error_severity":"LOG","message":"x"}\n';
    expect(detectLogFormat('/var/log/pg.csv.gz', '')).toBe('csvlog');
    expect(detectLogFormat('/var/log/pg.json.bz2', '')).toBe('jsonlog');
    expect(detectLogFormat('/var/log/pg.log', csvLine)).toBe('csvlog');
    expect(detectLogFormat('/var/log/pg.log', jsonLine)).toBe('jsonlog');
    expect(detectLogFormat('/var/log/pg.log', '2024-05-01 10:00:00 UTC [1] LOG:  x\n')).toBe('stderr');
  });

  it('throws InputError for a missing file, a broken gzip, and --log-database on a log without database names', async () => {
    const missing = await collect(readLogStatements('/no/such/dir/postgresql.log')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InputError);
    expect((missing as Error).message).toBe('cannot read /no/such/dir/postgresql.log: no such file');
    const dir = await mkdtemp(join(tmpdir(), 'indexwise-log-'));
    try {
      await writeFile(join(dir, 'plain.log'), '2024-05-01 10:00:00 UTC [1] LOG:  duration: 1 ms  statement: SELECT 1\n');
      const error = await collect(readLogStatements(join(dir, 'plain.log'), { database: 'shop' })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(/does not record database names/);
      await writeFile(
        join(dir, 'broken.log'),
        Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('garbage, not deflate data')]),
      );
      const broken = await collect(readLogStatements(join(dir, 'broken.log'))).catch((e: unknown) => e);
      expect(broken).toBeInstanceOf(InputError);
      expect((broken as Error).message).toBe(`cannot read ${join(dir, 'broken.log')}: not a valid gzip file`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // issue 15: a line over ~512 MB (V8's longest string) crashed the read with a Node stack trace
  it('a line longer than the cap: one InputError naming the line, in every format, gzipped or not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'indexwise-log-'));
    try {
      const ok = '2024-05-01 10:00:00 UTC [1] LOG:  duration: 1 ms  statement: SELECT 1\n';
      const long = `2024-05-01 10:00:01 UTC [1] LOG:  duration: 1 ms  statement: SELECT '${'x'.repeat(3000)}'\n`;
      const csv = (sql: string) =>
        `"2024-05-01 10:00:00.120 UTC","app","shop","311","10.0.0.5:51234","663200a0.137","2","SELECT","2024-05-01 09:00:00 UTC","3/12","0","LOG","00000","duration: 1 ms  statement: ${sql}","","","","","","","","","web","client backend","","0"\n`;
      const json = (sql: string) =>
        `${JSON.stringify({ timestamp: '2024-05-01 10:00:00.120 UTC', pid: 311, error_severity: 'LOG', message: `duration: 1 ms  statement: ${sql}` })}\n`;
      const longSql = `SELECT '${'x'.repeat(3000)}'`;
      const files: [string, string | Buffer][] = [
        ['long.log', ok + long + ok],
        ['long.csv', csv('SELECT 1') + csv(longSql)],
        ['long.json', json('SELECT 1') + json(longSql)],
        ['long.log.gz', gzipSync(ok + long)],
      ];
      for (const [name, contents] of files) {
        const path = join(dir, name);
        await writeFile(path, contents);
        const error = await collect(readLogStatements(path, { maxLineBytes: 1000 })).catch((e: unknown) => e);
        expect(error, name).toBeInstanceOf(InputError);
        expect((error as Error).message).toBe(`cannot read ${path}: line 2 is longer than 1000 B, the most indexwise reads as one line`);
        await expect(collect(readLogStatements(path, { maxLineBytes: 4000 }))).resolves.toBeDefined();
      }
      // under the cap the long statement is read like any other
      const workload = await collect(readLogStatements(join(dir, 'long.log'), { maxLineBytes: 4000 }));
      expect(workload.queries.reduce((n, q) => n + q.calls, 0)).toBe(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the CLI on a 600 MB line (a sparse file): one line on stderr, exit 2, no stack trace', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'indexwise-log-'));
    try {
      const path = join(dir, 'huge.log');
      // a log line's text first (the reader looks at the head to tell text from binary), then
      // a sparse run with no newline up to 600 MB: one line of 600 MB
      await writeFile(path, `2024-05-01 10:00:01 UTC [1] LOG:  statement: SELECT '${'x'.repeat(8000)}`);
      await truncate(path, 600 * 1024 * 1024);
      const result = await runCli(['analyze', '--db', 'pglite:memory', '--from', `log:${path}`, '-q']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`indexwise: cannot read ${path}: line 1 is longer than 256 MB, the most indexwise reads as one line\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
