/**
 * EXPLAIN QUERY PLAN and timed runs on one SQLite connection. Statements run as the
 * user wrote them (SQLite text, any parameter style); parameters are bound by number,
 * NULL where no value is given. A timed write always runs inside a savepoint that is
 * rolled back.
 */
import type Database from 'better-sqlite3';
import type { Plan } from '../../model/plan.js';
import { costPlan } from './cost.js';
import type { EqpRow } from './eqp.js';
import { bindableText, bindArguments, outerLimit } from './statement-text.js';
import type { StatsCache } from './stats.js';
import { whereTerms } from './where-terms.js';

export function prepareBound(
  db: Database.Database,
  sql: string,
  params: readonly unknown[],
  prefix = '',
): { statement: Database.Statement; args: unknown[] } {
  const text = bindableText(sql);
  const statement = db.prepare(`${prefix}${text.sql}`);
  return { statement, args: bindArguments(text, params) };
}

export function explainPlan(db: Database.Database, stats: StatsCache, sql: string, params: readonly unknown[] = []): Plan {
  const { statement, args } = prepareBound(db, sql, params, 'EXPLAIN QUERY PLAN ');
  const rows = statement.all(...args) as EqpRow[];
  return costPlan(rows, { stats: stats.forStatement(sql), limit: outerLimit(sql), where: whereTerms(sql) });
}

/** Whether the statement only reads (SELECT, or a WITH … SELECT). */
export function isReadOnly(db: Database.Database, sql: string): boolean {
  return prepareBound(db, sql, []).statement.readonly;
}

/** Runs the statement once and returns the milliseconds it took; a write is rolled back. */
export function timedRun(db: Database.Database, sql: string, params: readonly unknown[]): number {
  const { statement, args } = prepareBound(db, sql, params);
  const write = !statement.readonly;
  if (write) db.exec('SAVEPOINT indexwise_measure');
  try {
    const started = performance.now();
    if (statement.reader) for (const _ of statement.raw(true).iterate(...args));
    else statement.run(...args);
    return performance.now() - started;
  } finally {
    if (write) {
      db.exec('ROLLBACK TO indexwise_measure');
      db.exec('RELEASE indexwise_measure');
    }
  }
}
