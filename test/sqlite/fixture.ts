/** Real SQLite files for the SQLite tests: made in a temp directory from SQL, hashed, advised. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type AdviseOptions, advise } from '../../src/advisor/advise.js';
import { connect } from '../../src/engines/connect.js';
import type { AdviceReport } from '../../src/model/recommendation.js';
import { workloadFromSql } from '../helpers/workload.js';
import { tempDir } from '../helpers/temp.js';

/** A new SQLite file holding what `sql` creates (several statements). */
export function sqliteFile(sql: string, name = 'app.db'): string {
  const path = join(tempDir('sqlite'), name);
  const db = new Database(path);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
  return path;
}

/** `count` rows of integers 1..count, for INSERT … SELECT x FROM (this). */
export function series(count: number): string {
  return `(WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < ${count}) SELECT x FROM s)`;
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** advise on the file (opened read-only, as the CLI does) with a workload written as a SQL file. */
export async function adviseFile(path: string, workload: string, options: AdviseOptions = {}): Promise<AdviceReport> {
  const engine = await connect(`sqlite:${path}`);
  try {
    return await advise(engine, await workloadFromSql(workload), await engine.catalog(), options);
  } finally {
    await engine.close();
  }
}

/** The recommendations as "table(columns)" with names as CREATE INDEX writes them. */
export function shapes(report: AdviceReport): string[] {
  return report.recommendations.map((r) => `${r.index.table.name}(${r.columns.join(', ')})`).sort();
}
