/**
 * The comparison harness: Debian's `sqlite3` CLI and its `.expert` command (SQLite's own
 * index advisor, one statement at a time) on the same files and statements as indexwise,
 * and the workload's cost under each one's indexes, priced the same way (cost.ts on a
 * copy of the file with the indexes built and analyzed).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { writePenalty } from '../../src/advisor/write-cost.js';
import { analyzeWorkload } from '../../src/analysis/analyze-workload.js';
import { connect } from '../../src/engines/connect.js';
import { type IndexDef, keyColumn } from '../../src/model/index-def.js';
import {
  identifierValue,
  isIdentifier,
  isKeyword,
  parenthesized,
  significant,
  splitTopLevel,
  tokenize,
} from '../../src/engines/sqlite/tokens.js';
import { splitScript } from '../../src/workload/sql-text.js';
import { withTriggerStatements } from '../../src/workload/triggers.js';
import { workloadFromSql } from '../helpers/workload.js';
import { tempDir } from '../helpers/temp.js';

export interface ExpertIndex {
  readonly table: string;
  /** Key columns as written, without direction or collation. */
  readonly columns: readonly string[];
  readonly sql: string;
}

export interface ExpertAdvice {
  readonly statement: string;
  readonly indexes: readonly ExpertIndex[];
  /** The plan .expert prints with its indexes in place. */
  readonly plan: readonly string[];
}

export function hasSqliteCli(): boolean {
  return spawnSync('sqlite3', ['-version'], { encoding: 'utf8' }).status === 0;
}

function definition(index: ExpertIndex): IndexDef {
  return {
    table: { schema: 'main', name: index.table },
    keys: index.columns.map((c) => keyColumn(c)),
    include: [],
    where: null,
    method: 'btree',
    unique: false,
  };
}

function readCreateIndex(sql: string): ExpertIndex | null {
  const tokens = significant(tokenize(sql));
  const on = tokens.findIndex((t) => isKeyword(t, 'ON'));
  const table = tokens[on + 1];
  const body = parenthesized(tokens, on);
  if (on < 0 || !isIdentifier(table) || body === null) return null;
  const columns = splitTopLevel(body.inner, ',').map((part) => identifierValue(part[0] as (typeof part)[number]));
  return { table: identifierValue(table), columns, sql };
}

/** `.expert` on one statement, the file opened read-only. */
export function runExpert(path: string, statement: string): ExpertAdvice {
  const result = spawnSync('sqlite3', ['-readonly', path], { input: `.expert\n${statement};\n`, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`sqlite3 .expert failed: ${result.stderr}`);
  const lines = result.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== '(null)');
  const indexes = lines
    .filter((l) => /^CREATE INDEX/i.test(l))
    .map(readCreateIndex)
    .filter((i): i is ExpertIndex => i !== null);
  const plan = lines.filter((l) => !/^CREATE INDEX/i.test(l) && l !== '(no new indexes)');
  return { statement, indexes, plan };
}

/** The statements of a workload file with their weights. */
export function statements(workload: string): { sql: string; calls: number }[] {
  return splitScript(workload).map((s) => ({ sql: s.sql, calls: s.calls ?? 1 }));
}

/**
 * What the advisor minimizes, for any set of CREATE INDEX statements: Σ calls × cost of
 * the workload on a copy of the file with them built and analyzed (a write counts the
 * statements of the triggers it fires), plus what they cost the writes (write-cost.ts).
 */
export async function workloadCost(path: string, creates: readonly string[], workload: string): Promise<number> {
  const copy = join(tempDir('expert'), 'copy.db');
  copyFileSync(path, copy);
  const db = new Database(copy);
  try {
    for (const sql of creates) db.exec(sql);
    // statistics from sqlite_stat1 only, as indexwise's own copy has them
    db.exec('ANALYZE; DELETE FROM sqlite_stat4; ANALYZE sqlite_schema;');
  } finally {
    db.close();
  }
  const engine = await connect(`sqlite:${copy}`);
  try {
    const catalog = await engine.catalog();
    const expanded = withTriggerStatements(await workloadFromSql(workload), catalog);
    let total = 0;
    for (const q of expanded.queries) total += q.calls * (await engine.explain(q.samples[0] ?? q.sql)).totalCost;
    const writers = analyzeWorkload(expanded, catalog).queries.map((q) => ({
      weight: q.query.calls,
      writes: q.analysis?.writes ?? [],
      rowsPerCall: 1,
    }));
    for (const index of creates.map(readCreateIndex)) if (index !== null) total += writePenalty(definition(index), writers);
    return total;
  } finally {
    await engine.close();
  }
}
