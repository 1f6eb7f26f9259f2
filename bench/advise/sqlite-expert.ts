/**
 * indexwise against SQLite's own `.expert` (Debian's sqlite3 CLI), measured: the cases of
 * issue 17 where `.expert` found a faster index and indexwise none, and their neighbours
 * that should get no index (test/sqlite/expert-cases.ts; the test asserts what is
 * recommended, this measures it). For each case: indexwise's advice and `.expert`'s, each
 * built on its own copy of the file (ANALYZE, sqlite_stat1 only: the statistics the
 * advisor plans with), then the statement run many times with varied values on every copy
 * — interleaved rounds, each a batch of runs, for at least 2 s, the best round kept (the
 * machine may be shared: the best round is the one least disturbed) —, once inside a read
 * transaction (the query's own work) and once in autocommit (each run also takes and drops
 * the file's shared lock). No PostgreSQL needed. Prints the machine and a Markdown table;
 * writes bench/results/sqlite-expert.json and .md.
 *
 *   npm run bench:sqlite
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { loadParser } from '../../src/analysis/parse.js';
import { EXPERT_CASES, EXPERT_TABLES, type ExpertCase } from '../../test/sqlite/expert-cases.js';
import { hasSqliteCli, runExpert } from '../../test/sqlite/expert.js';
import { adviseFile, sqliteFile } from '../../test/sqlite/fixture.js';
import { removeTempDirs, tempDir } from '../../test/helpers/temp.js';

const RESULTS = fileURLToPath(new URL('../results/sqlite-expert.json', import.meta.url));
const MARKDOWN = fileURLToPath(new URL('../results/sqlite-expert.md', import.meta.url));
/** At least this many rounds, and more until the case's copies ran this long (ms) per mode. */
const ROUNDS = 21;
const MODE_MS = 2_000;
/** A batch runs for about this long (ms), so the clock's resolution does not matter. */
const BATCH_MS = 4;

const MODES = ['transaction', 'autocommit'] as const;
type Mode = (typeof MODES)[number];

interface Config {
  readonly label: 'none' | '.expert' | 'indexwise';
  readonly creates: readonly string[];
}

interface Measured {
  readonly label: Config['label'];
  readonly indexes: readonly string[];
  readonly plan: string;
  /** Best round's µs per run, per mode. */
  readonly micros: Readonly<Record<Mode, number>>;
}

interface CaseResult {
  readonly name: string;
  readonly sql: string;
  readonly expected: string | null;
  readonly configs: readonly Measured[];
}

function copyWith(path: string, creates: readonly string[]): Database.Database {
  const copy = join(tempDir('bench-sqlite'), 'copy.db');
  copyFileSync(path, copy);
  const db = new Database(copy);
  for (const sql of creates) db.exec(sql);
  db.exec('ANALYZE; DELETE FROM sqlite_stat4; ANALYZE sqlite_schema;');
  return db;
}

function planOf(db: Database.Database, c: ExpertCase): string {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all(...c.params(0)) as { detail: string }[];
  return rows.map((r) => r.detail).join('; ');
}

/** How many runs make a batch of about BATCH_MS on the slowest copy. */
function batchSize(statements: readonly Database.Statement[], c: ExpertCase): number {
  let slowest = 0;
  for (const statement of statements) {
    const started = performance.now();
    for (let i = 0; i < 20; i++) statement.all(...c.params(i));
    slowest = Math.max(slowest, (performance.now() - started) / 20);
  }
  return Math.max(1, Math.round(BATCH_MS / Math.max(slowest, 1e-4)));
}

/** Interleaved rounds: every copy runs one batch per round, in a rotating order; the best round counts. */
function time(dbs: readonly Database.Database[], c: ExpertCase, mode: Mode): number[] {
  const statements = dbs.map((db) => db.prepare(c.sql));
  const runs = batchSize(statements, c);
  const best = dbs.map(() => Infinity);
  const started = performance.now();
  for (let round = 0; round < ROUNDS || performance.now() - started < MODE_MS; round++) {
    for (let k = 0; k < dbs.length; k++) {
      const j = (k + round) % dbs.length;
      const db = dbs[j] as Database.Database;
      const statement = statements[j] as Database.Statement;
      if (mode === 'transaction') db.exec('BEGIN');
      const batch = process.hrtime.bigint();
      for (let i = 0; i < runs; i++) statement.all(...c.params(i));
      const micros = Number(process.hrtime.bigint() - batch) / 1e3 / runs;
      if (mode === 'transaction') db.exec('COMMIT');
      best[j] = Math.min(best[j] as number, micros);
    }
  }
  return best;
}

async function benchCase(c: ExpertCase, path: string): Promise<CaseResult> {
  const report = await adviseFile(path, `-- calls: 100\n${c.sql};`);
  const configs: Config[] = [
    { label: 'none', creates: [] },
    ...(hasSqliteCli() ? [{ label: '.expert' as const, creates: runExpert(path, c.sql).indexes.map((i) => i.sql) }] : []),
    { label: 'indexwise', creates: report.recommendations.map((r) => r.sql) },
  ];
  const dbs = configs.map((config) => copyWith(path, config.creates));
  try {
    const micros = Object.fromEntries(MODES.map((mode) => [mode, time(dbs, c, mode)])) as Record<Mode, number[]>;
    return {
      name: c.name,
      sql: c.sql,
      expected: c.expected,
      configs: configs.map((config, j) => ({
        label: config.label,
        indexes: config.creates,
        plan: planOf(dbs[j] as Database.Database, c),
        micros: { transaction: micros.transaction[j] as number, autocommit: micros.autocommit[j] as number },
      })),
    };
  } finally {
    for (const db of dbs) db.close();
  }
}

function sqliteCliVersion(): string | null {
  const result = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
  return result.status === 0 ? (result.stdout.split(' ')[0] ?? null) : null;
}

function describeMachine(): Record<string, string | number | null> {
  const db = new Database(':memory:');
  const version = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  return {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model.trim() ?? 'unknown',
    totalMemoryGb: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    sqlite: version,
    expertCli: sqliteCliVersion(),
    loadAverage: os.loadavg()[0]?.toFixed(2) ?? null,
  };
}

const us = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(2));
const ratio = (before: number, after: number) => `×${(before / after).toFixed(2)}`;
const shortIndex = (sql: string) => sql.replace(/^CREATE INDEX ("(?:[^"]|"")+"|\S+) ON /i, '').replace(/;$/, '');

function renderMarkdown(results: readonly CaseResult[], machine: Record<string, unknown>, date: string): string {
  const lines = [
    `# indexwise and SQLite's .expert, measured (${date})`,
    '',
    `Machine: ${machine.cpus} × ${machine.model}, ${machine.totalMemoryGb} GB RAM, Node ${machine.node}, SQLite ${machine.sqlite} (better-sqlite3), .expert from sqlite3 ${machine.expertCli ?? '(not installed)'}; load average ${machine.loadAverage} at the start.`,
    '',
    `µs per run, the best of at least ${ROUNDS} interleaved rounds (more until each mode ran ${MODE_MS / 1000} s; a round is a batch of about ${BATCH_MS} ms on each copy); speed-up = none / with the indexes. "in a transaction": runs inside one read transaction (the query's own work); "autocommit": each run also takes the file's shared lock.`,
    '',
    '| case | .expert | indexwise | none µs | .expert µs (speed-up) | indexwise µs (speed-up) | autocommit: none / .expert / indexwise µs |',
    '|---|---|---|---:|---:|---:|---|',
  ];
  for (const r of results) {
    const by = (label: Config['label']) => r.configs.find((c) => c.label === label);
    const none = by('none') as Measured;
    const cell = (m: Measured | undefined) =>
      m === undefined ? '—' : `${us(m.micros.transaction)} (${ratio(none.micros.transaction, m.micros.transaction)})`;
    const names = (m: Measured | undefined) => (m === undefined ? '—' : m.indexes.map(shortIndex).join(', ') || '(none)');
    const auto = ['none', '.expert', 'indexwise']
      .map((l) => by(l as Config['label'])?.micros.autocommit)
      .map((n) => (n === undefined ? '—' : us(n)));
    lines.push(
      `| ${r.name}: \`${r.sql}\` | ${names(by('.expert'))} | ${names(by('indexwise'))} | ${us(none.micros.transaction)} | ${cell(by('.expert'))} | ${cell(by('indexwise'))} | ${auto.join(' / ')} |`,
    );
  }
  lines.push('', 'Plans (SQLite, sqlite_stat1 statistics):', '');
  for (const r of results) for (const m of r.configs) lines.push(`- ${r.name}, ${m.label}: ${m.plan}`);
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  await loadParser();
  const machine = describeMachine();
  console.log(`machine: ${JSON.stringify(machine)}`);
  const files = new Map(Object.entries(EXPERT_TABLES).map(([name, setup]) => [name, sqliteFile(setup, `${name}.db`)]));
  const results: CaseResult[] = [];
  try {
    for (const c of EXPERT_CASES) {
      const result = await benchCase(c, files.get(c.table) as string);
      results.push(result);
      const none = result.configs[0]?.micros.transaction ?? NaN;
      console.log(
        `${c.name}: ${result.configs.map((m) => `${m.label} ${us(m.micros.transaction)} µs ${ratio(none, m.micros.transaction)} [${m.indexes.map(shortIndex).join(', ')}]`).join('; ')}`,
      );
    }
  } finally {
    removeTempDirs();
  }
  const date = new Date().toISOString().slice(0, 10);
  await mkdir(dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify({ date, machine, rounds: ROUNDS, results }, null, 2)}\n`);
  const markdown = renderMarkdown(results, machine, date);
  await writeFile(MARKDOWN, markdown);
  console.log(`\n${markdown}`);
}

await main();
