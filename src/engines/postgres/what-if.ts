/**
 * What-if backends for the PostgreSQL family.
 * - HypoPG: hypothetical indexes live in this one backend (our engine holds a single
 *   connection), cost nothing to create, and are created/dropped to match each
 *   configuration. HypoPG hands out OIDs from a small range, so after many
 *   creations the session is reset and the live set recreated.
 * - Transaction: real indexes built inside a transaction that is always rolled
 *   back. Each index is built once; a configuration is evaluated by dropping the
 *   others inside a savepoint, EXPLAINing, and rolling back to the savepoint.
 *   This takes locks and builds indexes: only for PGlite or a database the user
 *   says is not in production.
 */
import type { IndexDef } from '../../model/index-def.js';
import { quoteIdentAlways } from '../../sql/names.js';
import { indexesUsed } from '../../model/plan.js';
import { createIndexSql } from '../../sql/ddl.js';
import type { ExplainOptions } from '../engine.js';
import type { WhatIfBackend, WhatIfExplain } from '../what-if.js';
import type { PostgresEngine } from './engine.js';

const HYPOPG_RESET_AFTER = 2000;

function onTables(def: IndexDef | undefined, tables: ReadonlySet<string>): boolean {
  return def !== undefined && tables.has(`${def.table.schema}.${def.table.name}`);
}

export class HypoPgBackend implements WhatIfBackend {
  readonly method = 'hypopg' as const;
  private readonly defs = new Map<string, IndexDef>();
  private readonly live = new Map<string, number>();
  private readonly idByOid = new Map<number, string>();
  private created = 0;

  constructor(
    private readonly engine: PostgresEngine,
    private readonly schema: string,
  ) {}

  private fn(name: string): string {
    return `${quoteIdentAlways(this.schema)}.${name}`;
  }

  async prepare(id: string, def: IndexDef): Promise<{ bytes: number }> {
    this.defs.set(id, def);
    const oid = await this.create(id);
    const [row] = await this.engine.query<{ bytes: number }>(`SELECT ${this.fn('hypopg_relation_size')}($1)::float8 AS bytes`, [oid]);
    return { bytes: Number(row?.bytes ?? 0) };
  }

  private async create(id: string): Promise<number> {
    const existing = this.live.get(id);
    if (existing !== undefined) return existing;
    if (this.created >= HYPOPG_RESET_AFTER) await this.reset();
    const def = this.defs.get(id) as IndexDef;
    const [row] = await this.engine.query<{ oid: number }>(
      `SELECT indexrelid::int8::float8 AS oid FROM ${this.fn('hypopg_create_index')}($1)`,
      [createIndexSql(def, { name: 'indexwise_hypothetical' })],
    );
    const oid = Number(row?.oid);
    this.created++;
    this.live.set(id, oid);
    this.idByOid.set(oid, id);
    return oid;
  }

  private async reset(): Promise<void> {
    await this.engine.query(`SELECT ${this.fn('hypopg_reset')}()`);
    this.live.clear();
    this.idByOid.clear();
    this.created = 0;
  }

  async explain(sql: string, options: ExplainOptions, active: readonly string[], tables: ReadonlySet<string>): Promise<WhatIfExplain> {
    const wanted = new Set(active);
    for (const [id, oid] of [...this.live]) {
      if (wanted.has(id) || !onTables(this.defs.get(id), tables)) continue;
      await this.engine.query(`SELECT ${this.fn('hypopg_drop_index')}($1)`, [oid]);
      this.live.delete(id);
      this.idByOid.delete(oid);
    }
    for (const id of active) await this.create(id);
    const plan = await this.engine.explain(sql, options);
    const usedIds = indexesUsed(plan)
      .map((name) => /^<(\d+)>/.exec(name)?.[1])
      .map((oid) => (oid === undefined ? undefined : this.idByOid.get(Number(oid))))
      .filter((id): id is string => id !== undefined);
    return { plan, usedIds };
  }

  async close(): Promise<void> {
    await this.reset().catch(() => {});
    await this.engine.exitGenericPlans();
  }
}

export class TransactionBackend implements WhatIfBackend {
  readonly method = 'transaction' as const;
  private readonly defs = new Map<string, IndexDef>();
  private readonly built = new Map<string, { schema: string; name: string }>();
  private readonly idByName = new Map<string, string>();
  private counter = 0;

  private constructor(private readonly engine: PostgresEngine) {}

  static async open(engine: PostgresEngine): Promise<TransactionBackend> {
    await engine.query('BEGIN');
    await engine.enterGenericPlans();
    return new TransactionBackend(engine);
  }

  async prepare(id: string, def: IndexDef): Promise<{ bytes: number }> {
    this.defs.set(id, def);
    const index = await this.build(id);
    const [row] = await this.engine.query<{ bytes: number }>(`SELECT pg_relation_size(to_regclass($1))::float8 AS bytes`, [
      `${quoteIdentAlways(index.schema)}.${quoteIdentAlways(index.name)}`,
    ]);
    return { bytes: Number(row?.bytes ?? 0) };
  }

  private async build(id: string): Promise<{ schema: string; name: string }> {
    const existing = this.built.get(id);
    if (existing) return existing;
    const def = this.defs.get(id) as IndexDef;
    const name = `indexwise_whatif_${++this.counter}`;
    await this.engine.query('SAVEPOINT indexwise_build');
    try {
      await this.engine.query(createIndexSql(def, { name }));
      await this.engine.query('RELEASE SAVEPOINT indexwise_build');
    } catch (error) {
      await this.engine.query('ROLLBACK TO SAVEPOINT indexwise_build');
      throw error;
    }
    const index = { schema: def.table.schema, name };
    this.built.set(id, index);
    this.idByName.set(name, id);
    return index;
  }

  async explain(sql: string, options: ExplainOptions, active: readonly string[], tables: ReadonlySet<string>): Promise<WhatIfExplain> {
    for (const id of active) await this.build(id);
    const wanted = new Set(active);
    const hidden = [...this.built]
      .filter(([id]) => !wanted.has(id) && onTables(this.defs.get(id), tables))
      .map(([, index]) => `${quoteIdentAlways(index.schema)}.${quoteIdentAlways(index.name)}`);
    await this.engine.query('SAVEPOINT indexwise_explain');
    try {
      // Dropping inside a savepoint hides an index from the planner; rolling back restores it without a rebuild.
      if (hidden.length > 0) await this.engine.query(`DROP INDEX ${hidden.join(', ')}`);
      const plan = await this.engine.explain(sql, options);
      const usedIds = indexesUsed(plan)
        .map((name) => this.idByName.get(name))
        .filter((id): id is string => id !== undefined);
      return { plan, usedIds };
    } finally {
      await this.engine.query('ROLLBACK TO SAVEPOINT indexwise_explain');
    }
  }

  async close(): Promise<void> {
    await this.engine.query('ROLLBACK').catch(() => {});
    await this.engine.exitGenericPlans();
  }
}
