/**
 * What-if backends for the PostgreSQL family.
 * - HypoPG: hypothetical indexes live in one backend (each what-if connection has its
 *   own), cost nothing to create, and are created/dropped to match each
 *   configuration — in one round trip each way, and with their size estimate in the
 *   same statement that creates them. HypoPG hands out OIDs from a small range, so
 *   after many creations the session is reset and the live set created again.
 * - Transaction: real indexes built inside a transaction that is always rolled
 *   back, each at most once and only when a plan needs it. A configuration is made
 *   by marking the other built indexes of the statement's tables invalid
 *   (pg_index.indisvalid = false, which the planner skips; the catalog row is ours
 *   until the rollback). Where the role may not update pg_index (not a superuser),
 *   the others are dropped inside a savepoint instead and restored by rolling back
 *   to it. This takes locks and builds indexes: only for PGlite or a database the
 *   user says is not in production.
 */
import { qualifiedKey } from '../../model/catalog.js';
import { extensionsFor, type IndexDef } from '../../model/index-def.js';
import { quoteIdentAlways } from '../../sql/names.js';
import { indexesUsed, type Plan } from '../../model/plan.js';
import { createExtensionSql, createIndexSql } from '../../sql/ddl.js';
import { DatabaseError, SQLSTATE } from '../../errors.js';
import { type ExplainOptions, rollbackToSavepoint } from '../engine.js';
import {
  IndexRefusedError,
  REFUSED_DEFINITION_STATES,
  type Refusal,
  type WhatIfBackend,
  type WhatIfExplain,
  type WhatIfOptions,
} from '../what-if.js';
import type { PostgresEngine } from './engine.js';

const HYPOPG_RESET_AFTER = 2000;

/** How long a what-if build waits for its table's lock before the candidate is left out. */
const DEFAULT_BUILD_LOCK_TIMEOUT_MS = 5000;

const tableOf = (def: IndexDef): string => qualifiedKey(def.table);

/** Registered definitions and the sizes learned for them, shared by both backends. */
abstract class Registry {
  protected readonly defs = new Map<string, IndexDef>();
  protected readonly sizes = new Map<string, number>();
  /** Definitions the database refused, with its reason. */
  protected readonly refusals = new Map<string, string>();

  register(id: string, def: IndexDef): void {
    this.defs.set(id, def);
  }

  knownSize(id: string): number | undefined {
    return this.sizes.get(id);
  }

  /** The database's error when it refuses a definition; anything else is raised. */
  protected refuse(id: string, error: unknown): void {
    if (!(error instanceof DatabaseError) || !REFUSED_DEFINITION_STATES.has(error.sqlState ?? '')) throw error;
    this.refusals.set(id, error.message);
  }

  /** The refusals among `ids`, with their reasons. */
  refusedAmong(ids: readonly string[]): Refusal[] {
    return ids.flatMap((id) => {
      const reason = this.refusals.get(id);
      return reason === undefined ? [] : [{ id, reason }];
    });
  }

  protected sizeOrRefusal(id: string): number {
    const reason = this.refusals.get(id);
    if (reason !== undefined) throw new IndexRefusedError(id, reason);
    return this.sizes.get(id) ?? 0;
  }

  protected def(id: string): IndexDef {
    const def = this.defs.get(id);
    if (def === undefined) throw new Error(`what-if: index ${id} was never registered`);
    return def;
  }
}

/** What HypoPgBackend needs of its connection (the hybrid backend hands it one that runs each statement in a savepoint). */
export type HypoPgSession = Pick<PostgresEngine, 'query' | 'explain' | 'exitGenericPlans'>;

export class HypoPgBackend extends Registry implements WhatIfBackend {
  readonly method = 'hypopg' as const;
  private readonly live = new Map<string, number>();
  /** Live hypothetical indexes by schema.table. */
  private readonly liveOn = new Map<string, Set<string>>();
  private readonly idByOid = new Map<number, string>();
  private created = 0;

  constructor(
    private readonly engine: HypoPgSession,
    private readonly schema: string,
  ) {
    super();
  }

  private fn(name: string): string {
    return `${quoteIdentAlways(this.schema)}.${name}`;
  }

  async size(id: string): Promise<number> {
    if (!this.live.has(id) && !this.refusals.has(id)) await this.create([id]);
    return this.sizeOrRefusal(id);
  }

  /**
   * Creates the hypothetical indexes — after dropping `drops`, in the same statement — and
   * learns their sizes in it: one round trip. When the statement fails, each is created
   * alone to find the one refused.
   */
  private async create(ids: readonly string[], drops: readonly string[] = []): Promise<void> {
    const missing = ids.filter((id) => !this.live.has(id) && !this.refusals.has(id));
    if (missing.length === 0) return this.drop(drops);
    try {
      await this.createAll(missing, drops);
    } catch (error) {
      if (!(error instanceof DatabaseError)) throw error;
      if (missing.length === 1 && drops.length === 0) return this.refuse(missing[0] as string, error);
      // HypoPG's list is not transactional: what the failed statement created before the
      // refused one would linger unseen, so start from a clean session.
      await this.reset();
      for (const id of missing) await this.create([id]);
    }
  }

  private async createAll(missing: readonly string[], drops: readonly string[]): Promise<void> {
    if (this.created + missing.length > HYPOPG_RESET_AFTER) {
      await this.reset();
      drops = [];
    }
    const statements = missing.map((id) => createIndexSql(this.def(id), { name: 'indexwise_hypothetical' }));
    // the drops, when there are any, are a one-row subquery the creations are joined with
    const dropFirst = drops.length === 0 ? '' : `(SELECT count(${this.fn('hypopg_drop_index')}(o)) FROM unnest($2::oid[]) o) dropped, `;
    const rows = await this.engine.query<{ n: number; oid: number; bytes: number }>(
      `SELECT d.n::int AS n, h.indexrelid::int8::float8 AS oid, ${this.fn('hypopg_relation_size')}(h.indexrelid)::float8 AS bytes
         FROM ${dropFirst}unnest($1::text[]) WITH ORDINALITY AS d(sql, n), LATERAL ${this.fn('hypopg_create_index')}(d.sql) h`,
      drops.length === 0 ? [statements] : [statements, drops.map((id) => this.live.get(id) as number)],
    );
    this.forget(drops);
    for (const row of rows) {
      const id = missing[Number(row.n) - 1] as string;
      const oid = Number(row.oid);
      this.created++;
      this.live.set(id, oid);
      this.idByOid.set(oid, id);
      const table = tableOf(this.def(id));
      const on = this.liveOn.get(table) ?? new Set<string>();
      on.add(id);
      this.liveOn.set(table, on);
      this.sizes.set(id, Number(row.bytes));
    }
  }

  private async drop(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.engine.query(`SELECT ${this.fn('hypopg_drop_index')}(o) FROM unnest($1::oid[]) o`, [
      ids.map((id) => this.live.get(id) as number),
    ]);
    this.forget(ids);
  }

  private forget(ids: readonly string[]): void {
    for (const id of ids) {
      const oid = this.live.get(id);
      if (oid !== undefined) this.idByOid.delete(oid);
      this.live.delete(id);
      this.liveOn.get(tableOf(this.def(id)))?.delete(id);
    }
  }

  private async reset(): Promise<void> {
    await this.engine.query(`SELECT ${this.fn('hypopg_reset')}()`);
    this.live.clear();
    this.liveOn.clear();
    this.idByOid.clear();
    this.created = 0;
  }

  async explain(sql: string, options: ExplainOptions, active: readonly string[], tables: ReadonlySet<string>): Promise<WhatIfExplain> {
    await this.arrange(active, tables);
    const plan = await this.engine.explain(sql, options);
    return { plan, usedIds: this.usedIdsIn(plan), refused: this.refusedAmong(active) };
  }

  /** Makes exactly `active` live among the hypothetical indexes on `tables` (creates the missing, drops the others). */
  async arrange(active: readonly string[], tables: ReadonlySet<string>): Promise<void> {
    const wanted = new Set(active);
    const unwanted: string[] = [];
    for (const table of tables) for (const id of this.liveOn.get(table) ?? []) if (!wanted.has(id)) unwanted.push(id);
    await this.create(active, unwanted);
  }

  /** Ids of this backend's hypothetical indexes that `plan` reads (HypoPG names them `<oid>name`). */
  usedIdsIn(plan: Plan): string[] {
    return indexesUsed(plan)
      .map((name) => /^<(\d+)>/.exec(name)?.[1])
      .map((oid) => (oid === undefined ? undefined : this.idByOid.get(Number(oid))))
      .filter((id): id is string => id !== undefined);
  }

  async close(): Promise<void> {
    await this.reset().catch(() => {});
    await this.engine.exitGenericPlans();
  }
}

interface BuiltIndex {
  readonly schema: string;
  readonly name: string;
  /** The index and, on a partitioned table, its partitions' indexes. */
  readonly oids: readonly number[];
  /** schema.table of its table. */
  readonly table: string;
}

export class TransactionBackend extends Registry implements WhatIfBackend {
  readonly method = 'transaction' as const;
  private readonly built = new Map<string, BuiltIndex>();
  private readonly idByName = new Map<string, string>();
  /** Built indexes the planner currently sees (marked valid). */
  private readonly visible = new Set<string>();
  private counter = 0;

  private constructor(
    private readonly engine: PostgresEngine,
    /** pg_index.indisvalid may be updated (superuser); else hide by dropping in a savepoint. */
    private readonly toggles: boolean,
    private readonly lockTimeoutMs: number,
  ) {
    super();
  }

  static async open(engine: PostgresEngine, options: WhatIfOptions = {}): Promise<TransactionBackend> {
    // the session's setting, before the transaction: it outlives a restart (see plan)
    await engine.enterGenericPlans();
    const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_BUILD_LOCK_TIMEOUT_MS;
    await TransactionBackend.begin(engine, lockTimeoutMs);
    return new TransactionBackend(engine, await TransactionBackend.mayUpdateCatalog(engine), lockTimeoutMs);
  }

  /** READ WRITE: also on a session connected read-only; lock_timeout for this transaction only. */
  private static async begin(engine: PostgresEngine, lockTimeoutMs: number): Promise<void> {
    await engine.query('BEGIN READ WRITE');
    await engine.query(`SELECT set_config('lock_timeout', $1, true)`, [`${lockTimeoutMs}ms`]);
  }

  private static async mayUpdateCatalog(engine: PostgresEngine): Promise<boolean> {
    await engine.query('SAVEPOINT indexwise_probe');
    try {
      await engine.query('UPDATE pg_catalog.pg_index SET indisvalid = indisvalid WHERE false');
      await engine.query('RELEASE SAVEPOINT indexwise_probe');
      return true;
    } catch (error) {
      await rollbackToSavepoint(engine, 'indexwise_probe');
      if (error instanceof DatabaseError && error.sqlState === SQLSTATE.insufficientPrivilege) return false;
      throw error;
    }
  }

  async size(id: string): Promise<number> {
    await this.build(id);
    return this.sizeOrRefusal(id);
  }

  /** Builds the index once (undefined when the database refuses it). */
  private async build(id: string): Promise<BuiltIndex | undefined> {
    const existing = this.built.get(id);
    if (existing || this.refusals.has(id)) return existing;
    const def = this.def(id);
    const name = `indexwise_whatif_${++this.counter}`;
    await this.engine.query('SAVEPOINT indexwise_build');
    try {
      if (!(await this.createExtensions(id, def))) {
        await rollbackToSavepoint(this.engine, 'indexwise_build');
        return undefined;
      }
      await this.engine.query(createIndexSql(def, { name }));
      await this.engine.query('RELEASE SAVEPOINT indexwise_build');
    } catch (error) {
      await rollbackToSavepoint(this.engine, 'indexwise_build');
      if (error instanceof DatabaseError && error.sqlState === SQLSTATE.lockTimeout) {
        this.refusals.set(
          id,
          `${tableOf(def)} stayed locked by another session for ${this.lockTimeoutMs} ms: not built, so not costed (run again when it is free)`,
        );
        return undefined;
      }
      this.refuse(id, error);
      return undefined;
    }
    // On a partitioned table the index has one on each partition: the planner reads those.
    const parts = await this.engine.query<{ oid: number; name: string; bytes: number }>(
      `WITH RECURSIVE tree(oid) AS (
         SELECT to_regclass($1)::oid UNION ALL SELECT i.inhrelid FROM pg_inherits i JOIN tree t ON i.inhparent = t.oid)
       SELECT c.oid::int8::float8 AS oid, c.relname AS name, pg_relation_size(c.oid)::float8 AS bytes FROM tree JOIN pg_class c ON c.oid = tree.oid`,
      [`${quoteIdentAlways(def.table.schema)}.${quoteIdentAlways(name)}`],
    );
    const index = { schema: def.table.schema, name, oids: parts.map((p) => Number(p.oid)), table: tableOf(def) };
    this.built.set(id, index);
    for (const part of parts) this.idByName.set(part.name, id);
    this.sizes.set(
      id,
      parts.reduce((sum, p) => sum + Number(p.bytes), 0),
    );
    this.visible.add(id);
    return index;
  }

  /**
   * The extensions the index needs (pg_trgm), created inside the transaction: the rollback
   * takes them away again. False, and the index refused, when the server does not have one
   * or the role may not create it.
   */
  private async createExtensions(id: string, def: IndexDef): Promise<boolean> {
    for (const extension of extensionsFor(def)) {
      try {
        await this.engine.query(createExtensionSql(extension));
      } catch (error) {
        const state = error instanceof DatabaseError ? error.sqlState : undefined;
        if (state !== SQLSTATE.undefinedFile && state !== SQLSTATE.insufficientPrivilege) throw error;
        this.refusals.set(id, `it needs extension ${extension}: ${(error as Error).message}`);
        return false;
      }
    }
    return true;
  }

  async explain(sql: string, options: ExplainOptions, active: readonly string[], tables: ReadonlySet<string>): Promise<WhatIfExplain> {
    const plan = await this.within(active, tables, () => this.engine.explain(sql, options));
    return { plan, usedIds: this.usedIdsIn(plan), refused: this.refusedAmong(active) };
  }

  /**
   * Runs `fn` (an EXPLAIN) with exactly the `active` built indexes visible among those on
   * `tables`, building the missing ones first.
   */
  async within<T>(active: readonly string[], tables: ReadonlySet<string>, fn: () => Promise<T>): Promise<T> {
    for (const id of active) await this.build(id);
    const shown = active.filter((id) => this.built.has(id));
    const wanted = new Set(shown);
    const others = [...this.built].filter(([id, index]) => !wanted.has(id) && tables.has(index.table));
    if (this.toggles) {
      await this.show(
        shown,
        others.map(([id]) => id),
      );
      return this.planning(fn);
    }
    await this.engine.query('SAVEPOINT indexwise_explain');
    try {
      // Dropping inside a savepoint hides an index from the planner; rolling back restores it without a rebuild.
      const hidden = others.map(([, index]) => `${quoteIdentAlways(index.schema)}.${quoteIdentAlways(index.name)}`);
      if (hidden.length > 0) await this.engine.query(`DROP INDEX ${hidden.join(', ')}`);
      return await this.planning(fn);
    } finally {
      await rollbackToSavepoint(this.engine, 'indexwise_explain');
    }
  }

  /** Marks `shown` valid and `hidden` invalid for the planner, in one statement, where that changes anything. */
  private async show(shown: readonly string[], hidden: readonly string[]): Promise<void> {
    const turnOn = shown.filter((id) => !this.visible.has(id));
    const turnOff = hidden.filter((id) => this.visible.has(id));
    if (turnOn.length === 0 && turnOff.length === 0) return;
    const oids = (ids: readonly string[]) => ids.flatMap((id) => (this.built.get(id) as BuiltIndex).oids);
    await this.engine.query('UPDATE pg_catalog.pg_index SET indisvalid = (indexrelid = ANY($1::oid[])) WHERE indexrelid = ANY($2::oid[])', [
      oids(turnOn),
      oids([...turnOn, ...turnOff]),
    ]);
    for (const id of turnOn) this.visible.add(id);
    for (const id of turnOff) this.visible.delete(id);
  }

  private async planning<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      // A statement the planner rejects (an error at PREPARE or in a constant expression) aborts the
      // transaction: start a new one, so the next statements can be costed; the candidates are built
      // again as they are needed.
      if (this.toggles) await this.restart();
      throw error;
    }
  }

  /** Ids of this backend's built indexes that `plan` reads. */
  usedIdsIn(plan: Plan): string[] {
    return indexesUsed(plan)
      .map((name) => this.idByName.get(name))
      .filter((id): id is string => id !== undefined);
  }

  private async restart(): Promise<void> {
    await this.engine.query('ROLLBACK').catch(() => {});
    await TransactionBackend.begin(this.engine, this.lockTimeoutMs);
    this.built.clear();
    this.idByName.clear();
    this.visible.clear();
  }

  async close(): Promise<void> {
    await this.engine.query('ROLLBACK').catch(() => {});
    await this.engine.exitGenericPlans();
  }
}
