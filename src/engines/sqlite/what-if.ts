/**
 * What-if costing on SQLite (`sqlite-copy`): the user's file is never written. Each
 * candidate is built once, for real, in a copy of the database (copy.ts) and analyzed
 * there: its sqlite_stat1 row (scaled in a sampled copy) and its size. Plans are made in
 * the planning database (planning.ts: the schema with no rows, and the copy's
 * statistics), where the candidate then lives as an empty index with that row. A
 * configuration is planned by dropping the other candidates on the statement's tables
 * inside a savepoint, EXPLAIN QUERY PLAN, and rolling back to the savepoint — instant on
 * empty tables. SQLite's planner picks the plan; cost.ts prices it.
 */
import type Database from 'better-sqlite3';
import { qualifiedKey } from '../../model/catalog.js';
import type { IndexDef } from '../../model/index-def.js';
import { indexesUsed } from '../../model/plan.js';
import { createIndexSql } from '../../sql/ddl.js';
import { quoteIdentAlways } from '../../sql/names.js';
import type { ExplainOptions } from '../engine.js';
import { IndexRefusedError, type Refusal, type WhatIfBackend, type WhatIfExplain } from '../what-if.js';
import type { DatabaseCopy } from './copy.js';
import { explainPlan } from './explain.js';
import { addPlannedIndex, openPlanningDb } from './planning.js';
import { rescaleStat } from './sample.js';
import { StatsCache } from './stats.js';

const onTables = (def: IndexDef | undefined, tables: ReadonlySet<string>) => def !== undefined && tables.has(qualifiedKey(def.table));

export class SqliteCopyBackend implements WhatIfBackend {
  readonly method = 'sqlite-copy' as const;
  readonly notes: readonly string[];
  private readonly defs = new Map<string, IndexDef>();
  private readonly built = new Map<string, { name: string; bytes: number }>();
  private readonly idByName = new Map<string, string>();
  /** Definitions SQLite would not create (e.g. an unknown collation), with its message. */
  private readonly refusals = new Map<string, string>();
  private readonly planning: Database.Database;
  private readonly stats: StatsCache;
  private counter = 0;

  constructor(private readonly copy: DatabaseCopy) {
    this.planning = openPlanningDb(copy.db);
    this.stats = new StatsCache(this.planning);
    this.notes = copy.notes;
  }

  register(id: string, def: IndexDef): void {
    this.defs.set(id, def);
  }

  async size(id: string): Promise<number> {
    const built = this.build(id);
    if (built === undefined) throw new IndexRefusedError(id, this.refusals.get(id) ?? 'refused');
    return built.bytes;
  }

  knownSize(id: string): number | undefined {
    return this.built.get(id)?.bytes;
  }

  private scaleOf(def: IndexDef): number {
    return this.copy.scale.get(def.table.name.toLowerCase()) ?? 1;
  }

  /**
   * Builds the candidate on the data (once) for its statistics and size, then adds it to
   * the planning database; undefined when SQLite refuses the definition.
   */
  private build(id: string): { name: string; bytes: number } | undefined {
    const existing = this.built.get(id);
    if (existing !== undefined || this.refusals.has(id)) return existing;
    const def = this.defs.get(id);
    if (def === undefined) throw new Error(`what-if: index ${id} was never registered`);
    const name = `indexwise_whatif_${++this.counter}`;
    const sql = createIndexSql(def, { name, dialect: 'sqlite' });
    const data = this.copy.db;
    try {
      data.exec(sql);
    } catch (error) {
      // a CREATE INDEX that SQLite rejects is a definition that does not fit this table
      this.refusals.set(id, error instanceof Error ? error.message : String(error));
      return undefined;
    }
    data.exec(`ANALYZE ${quoteIdentAlways(name)}`);
    const row = data.prepare('SELECT stat FROM sqlite_stat1 WHERE idx = ?').get(name) as { stat: string } | undefined;
    const size = data.prepare('SELECT coalesce(sum(pgsize), 0) AS bytes FROM dbstat WHERE name = ?').get(name) as { bytes: number };
    data.exec(`DROP INDEX ${quoteIdentAlways(name)}`);
    const scale = this.scaleOf(def);
    const stat = row === undefined ? null : this.copy.mode === 'sample' ? rescaleStat(row.stat, scale) : row.stat;
    addPlannedIndex(this.planning, sql, def.table.name, name, stat);
    this.stats.invalidate();
    const entry = { name, bytes: Math.round(size.bytes * scale) };
    this.built.set(id, entry);
    this.idByName.set(name, id);
    return entry;
  }

  async explain(sql: string, options: ExplainOptions, active: readonly string[], tables: ReadonlySet<string>): Promise<WhatIfExplain> {
    for (const id of active) this.build(id);
    const wanted = new Set(active);
    const hidden = [...this.built].filter(([id]) => !wanted.has(id) && onTables(this.defs.get(id), tables)).map(([, entry]) => entry.name);
    const db = this.planning;
    this.stats.warm();
    if (hidden.length > 0) db.exec('SAVEPOINT indexwise_whatif');
    try {
      // Dropping inside a savepoint hides an index from the planner; rolling back restores it.
      for (const name of hidden) db.exec(`DROP INDEX ${quoteIdentAlways(name)}`);
      const plan = explainPlan(db, this.stats, sql, options.params ?? []);
      const usedIds = indexesUsed(plan)
        .map((name) => this.idByName.get(name))
        .filter((id): id is string => id !== undefined);
      const refused: Refusal[] = active.flatMap((id) => {
        const reason = this.refusals.get(id);
        return reason === undefined ? [] : [{ id, reason }];
      });
      return { plan, usedIds, refused };
    } finally {
      if (hidden.length > 0) {
        db.exec('ROLLBACK TO indexwise_whatif');
        db.exec('RELEASE indexwise_whatif');
      }
    }
  }

  async close(): Promise<void> {
    if (this.planning.open) this.planning.close();
    this.copy.dispose();
  }
}
