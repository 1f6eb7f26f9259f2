/**
 * "No hidden writes" (issue 15), checked from the server's side: with log_statement = 'all'
 * on one test database, every command that only reads runs against it, and the statement
 * log of indexwise's sessions (jsonlog: pid and application_name per line) is read back
 * session by session. Nothing that writes — INSERT/UPDATE/DELETE/MERGE (in WITH too), DDL,
 * VACUUM/ANALYZE, a locking clause, SELECT INTO, nextval/setval/advisory locks, the
 * workload's writing functions, EXPLAIN ANALYZE — may reach the server outside a
 * transaction that was rolled back. HypoPG's hypopg_create_index is a SELECT (backend-local)
 * and passes; the what-if transaction's CREATE INDEX (also hybrid's) passes because it is rolled back.
 * The checker is independent of src/analysis/read-only.ts and is tested on a made-up log.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { list, unwrap } from '../src/analysis/ast.js';
import { type AstNode, loadParser, parseStatements } from '../src/analysis/parse.js';
import { runCli } from './helpers/cli.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from './helpers/postgres.js';
import { tempDir } from './helpers/temp.js';
import { HOSTILE_SETUP, HOSTILE_WORKLOAD } from './helpers/hostile.js';

const logDir = process.env.INDEXWISE_TEST_PG_LOG_DIR;
const JSON_LOG = 'postgresql.json';

const WRITE_NODES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);
/** Statement types that cannot change the database by themselves. */
const HARMLESS_TYPES = new Set([
  'SelectStmt',
  'ExplainStmt',
  'VariableSetStmt',
  'VariableShowStmt',
  'PrepareStmt',
  'ExecuteStmt',
  'DeallocateStmt',
]);
/** Functions that change something when called: sequences, locks, statistics, and the test workload's own writers. */
const WRITING_FUNCTIONS = new Set([
  'nextval',
  'setval',
  'pg_advisory_lock',
  'pg_advisory_lock_shared',
  'pg_try_advisory_lock',
  'pg_try_advisory_lock_shared',
  'pg_stat_reset',
  'pg_stat_statements_reset',
  'lo_import',
  'lo_unlink',
  'log_visit',
  'sneaky',
]);

/**
 * Why one statement run outside a rolled-back transaction could change the database, or
 * null. EXPLAIN without ANALYZE and PREPARE plan a statement without running it; EXECUTE
 * runs the statement its session prepared under that name.
 */
function whyItWrites(stmt: AstNode, prepared: Map<string, AstNode>): string | null {
  const [type, body] = unwrap(stmt);
  if (type === undefined) return null;
  if (!HARMLESS_TYPES.has(type)) return type;
  if (type === 'ExplainStmt') return list(body.options).some((o) => unwrap(o)[1]?.defname === 'analyze') ? 'EXPLAIN ANALYZE' : null;
  if (type === 'PrepareStmt') {
    prepared.set(String(body.name), body.query);
    return null;
  }
  if (type === 'ExecuteStmt') {
    const query = prepared.get(String(body.name));
    return query === undefined ? `EXECUTE ${body.name} (prepared where?)` : whyItWrites(query, prepared);
  }
  let found: string | null = null;
  const walk = (node: unknown): void => {
    if (found !== null || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    for (const [key, value] of Object.entries(node as AstNode)) {
      if (WRITE_NODES.has(key)) found = key;
      else if (key === 'lockingClause' && list(value).length > 0) found = 'a locking clause';
      else if (key === 'intoClause') found = 'SELECT INTO';
      else if (key === 'FuncCall') {
        const name = list((value as AstNode).funcname).map((n) => String(unwrap(n)[1]?.sval ?? ''));
        if (WRITING_FUNCTIONS.has(name[name.length - 1] ?? '')) found = `${name.join('.')}()`;
      }
      walk(value);
    }
  };
  walk(body);
  return found;
}

/** The statements of one session that could have changed the database: outside a transaction, or in one that was committed or left open. */
function unframedWrites(statements: readonly string[]): string[] {
  const problems: string[] = [];
  let open: { stmt: AstNode; sql: string }[] | null = null;
  const prepared = new Map<string, AstNode>();
  const judge = (items: readonly { stmt: AstNode; sql: string }[], where: string) => {
    for (const { stmt, sql } of items) {
      const why = whyItWrites(stmt, prepared);
      if (why !== null) problems.push(`${why} ${where}: ${sql}`);
    }
  };
  for (const text of statements) {
    let parsed;
    try {
      parsed = parseStatements(text);
    } catch {
      problems.push(`does not parse: ${text}`);
      continue;
    }
    for (const item of parsed) {
      const [type, body] = unwrap(item.stmt);
      if (type !== 'TransactionStmt') {
        if (open === null) judge([item], 'outside a transaction');
        else open.push(item);
        continue;
      }
      const kind = String(body.kind);
      if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') open = [];
      else if (kind === 'TRANS_STMT_ROLLBACK') open = null;
      else if (kind === 'TRANS_STMT_COMMIT') {
        judge(open ?? [], 'in a committed transaction');
        open = null;
      }
    }
  }
  if (open !== null) judge(open, 'in a transaction left open');
  return problems;
}

interface LogLine {
  readonly pid: number;
  readonly dbname?: string;
  readonly application_name?: string;
  readonly error_severity: string;
  readonly message: string;
}

describe('the statement-log checker', () => {
  beforeAll(loadParser);

  it('flags writes outside a rolled-back transaction and nothing else', () => {
    expect(
      unframedWrites([
        'SELECT 1',
        "SELECT hypopg_create_index('CREATE INDEX ON t (a)')",
        'WITH i AS (INSERT INTO t VALUES (1) RETURNING id) SELECT id FROM i',
        'BEGIN READ ONLY',
        'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT * FROM t',
        'ROLLBACK',
        'BEGIN',
        'CREATE INDEX x ON t (a)',
        'SAVEPOINT s',
        'DELETE FROM t',
        'ROLLBACK TO SAVEPOINT s',
        'ROLLBACK',
        'BEGIN; UPDATE t SET a = 1; COMMIT',
        'EXPLAIN (ANALYZE) SELECT 1',
        'EXPLAIN (FORMAT JSON) DELETE FROM t',
        "PREPARE p AS SELECT nextval('s')",
        'EXPLAIN (FORMAT JSON) EXECUTE p',
        'EXECUTE p',
        'SELECT * FROM t FOR UPDATE',
        'SELECT 1 INTO x',
        'ANALYZE t',
        'BEGIN',
        'SELECT sneaky(1)',
      ]),
    ).toEqual([
      'InsertStmt outside a transaction: WITH i AS (INSERT INTO t VALUES (1) RETURNING id) SELECT id FROM i',
      'UpdateStmt in a committed transaction: UPDATE t SET a = 1',
      'EXPLAIN ANALYZE outside a transaction: EXPLAIN (ANALYZE) SELECT 1',
      'nextval() outside a transaction: EXECUTE p',
      'a locking clause outside a transaction: SELECT * FROM t FOR UPDATE',
      'SELECT INTO outside a transaction: SELECT 1 INTO x',
      'VacuumStmt outside a transaction: ANALYZE t',
      'sneaky() in a transaction left open: SELECT sneaky(1)',
    ]);
  });
});

describe.skipIf(!hasPostgres || !logDir)("every read-only command, with log_statement = 'all'", () => {
  let db: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    await loadParser();
    db = await createTestDatabase('statement_log');
    await db.sql(HOSTILE_SETUP);
    // a workload for pg_stat_statements, writes among it, none of them kept
    for (let i = 0; i < 3; i++) {
      await db.sql(
        `BEGIN; ${HOSTILE_WORKLOAD.split('\n')
          .filter((line) => line !== '' && !line.startsWith('--') && !/nextval|advisory/.test(line))
          .join('\n')} ROLLBACK`,
      );
    }
    await db.sql(`ALTER DATABASE ${db.name} SET log_statement = 'all'`);
    dir = tempDir('statement-log');
    await writeFile(join(dir, 'w.sql'), HOSTILE_WORKLOAD);
  });
  afterAll(async () => db?.drop());

  /** indexwise's logged statements in this database since `offset`, per session; waits for `marker` to be logged. */
  async function loggedSince(offset: number, marker: string): Promise<Map<number, string[]>> {
    const path = join(logDir as string, JSON_LOG);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`SELECT $1::text AS marker`, [marker]);
    await client.end();
    for (let wait = 0; wait < 100; wait++) {
      const text = (await readFile(path)).subarray(offset).toString('utf8');
      if (text.includes(marker)) {
        const sessions = new Map<number, string[]>();
        for (const line of text.split('\n')) {
          if (line.trim() === '') continue;
          const entry = JSON.parse(line) as LogLine;
          if (entry.dbname !== db.name || !entry.application_name?.startsWith('indexwise') || entry.error_severity !== 'LOG') continue;
          const match = /^(?:statement|execute [^:]*): ([\s\S]*)$/.exec(entry.message);
          if (match === null) continue;
          sessions.set(entry.pid, [...(sessions.get(entry.pid) ?? []), match[1] as string]);
        }
        return sessions;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the marker ${marker} never reached ${path}`);
  }

  const w = () => `sql:${join(dir, 'w.sql')}`;
  const COMMANDS: readonly (readonly [string, () => string[]])[] = [
    ['analyze --from pg_stat_statements', () => ['analyze', '--db', db.url, '--from', 'pg_stat_statements', '--json']],
    ['advise (HypoPG)', () => ['advise', '--db', db.url, '--from', 'pg_stat_statements', '--json', '-q']],
    ['advise --what-if transaction', () => ['advise', '--db', db.url, '--from', w(), '--what-if', 'transaction', '--json', '-q']],
    ['advise --what-if hybrid', () => ['advise', '--db', db.url, '--from', w(), '--what-if', 'hybrid', '--json', '-q']],
    ['health', () => ['health', '--db', db.url, '--json']],
    ['inspect', () => ['inspect', '--db', db.url, '--json']],
    ['report', () => ['report', '--db', db.url, '--from', 'pg_stat_statements', '--out', join(dir, 'report.md'), '-q']],
    ['verify (writes in the workload)', () => ['verify', '--db', db.url, '--from', w(), '--runs', '1', '--json', '-q']],
    ['migrate', () => ['migrate', '--db', db.url, '--from', w(), '--format', 'sql', '--out', join(dir, 'migrations'), '-q']],
    ['monitor snapshot', () => ['monitor', 'snapshot', '--db', db.url, '--store', join(dir, 'monitor.sqlite'), '--json']],
  ];

  it.each(COMMANDS)('%s', async (label, args) => {
    const offset = (await stat(join(logDir as string, JSON_LOG))).size;
    const result = await runCli(args());
    expect(result.code, result.stderr).toBe(0);
    const sessions = await loggedSince(offset, `end of ${label} ${Date.now()}`);
    const statements = [...sessions.values()].flat();
    expect(statements.length).toBeGreaterThan(0); // the log really shows indexwise's statements
    expect([...sessions.values()].flatMap(unframedWrites)).toEqual([]);
    if (label.startsWith('verify')) {
      // the writes were judged writes and not run; the read ran inside BEGIN READ ONLY … ROLLBACK
      expect(statements.some((s) => s.includes('log_visit') || s.includes('INSERT INTO audit'))).toBe(false);
      for (const session of sessions.values()) {
        const explained = session.findIndex((s) => s.startsWith('EXPLAIN (ANALYZE') && s.includes('k = 17'));
        if (explained < 0) continue;
        const framing = session.slice(0, explained).filter((s) => /^(BEGIN|ROLLBACK|COMMIT)/.test(s));
        expect(framing[framing.length - 1]).toBe('BEGIN READ ONLY');
      }
      expect(statements.some((s) => s.startsWith('EXPLAIN (ANALYZE') && s.includes('k = 17'))).toBe(true);
    }
  });

  it('verify --writes rollback: the writes ran, each inside BEGIN … ROLLBACK', async () => {
    const offset = (await stat(join(logDir as string, JSON_LOG))).size;
    const result = await runCli(['verify', '--db', db.url, '--from', w(), '--runs', '1', '--writes', 'rollback', '--json', '-q']);
    expect(result.code, result.stderr).toBe(0);
    const sessions = await loggedSince(offset, `end of verify rollback ${Date.now()}`);
    const statements = [...sessions.values()].flat();
    expect(statements.filter((s) => s.startsWith('EXPLAIN (ANALYZE') && s.includes('INSERT INTO audit'))).toHaveLength(2);
    expect([...sessions.values()].flatMap(unframedWrites)).toEqual([]);
    expect(statements.some((s) => /nextval|pg_advisory_lock/.test(s) && s.startsWith('EXPLAIN'))).toBe(false);
  });
});
