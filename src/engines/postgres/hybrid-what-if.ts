/**
 * The hybrid what-if backend: one session where the candidates HypoPG can make (b-tree,
 * BRIN, hash) are hypothetical indexes and the others (GIN, GiST, SP-GiST) are really
 * built inside a transaction that is always rolled back. It holds a HypoPgBackend and a
 * TransactionBackend on the same connection and hands each index to the one for its
 * method; one EXPLAIN then sees exactly the active indexes of both kinds.
 *
 * HypoPG's hypothetical indexes live in the backend's memory, not in the transaction:
 * a rollback does not take them away, so close() resets them explicitly (after the
 * rollback). While the transaction is open each HypoPG statement runs in a savepoint, so
 * a definition HypoPG refuses does not abort the transaction the real builds live in.
 */
import type { IndexDef } from '../../model/index-def.js';
import type { Plan } from '../../model/plan.js';
import { HYPOPG_METHODS } from '../../model/what-if.js';
import { type ExplainOptions, type QueryOptions, type Row, rollbackToSavepoint } from '../engine.js';
import type { WhatIfBackend, WhatIfExplain, WhatIfOptions } from '../what-if.js';
import type { PostgresEngine } from './engine.js';
import { HypoPgBackend, type HypoPgSession, TransactionBackend } from './what-if.js';

/** The engine's connection, each statement in its own savepoint while `inTransaction`. */
class SavepointSession implements HypoPgSession {
  inTransaction = true;

  constructor(private readonly engine: PostgresEngine) {}

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}): Promise<R[]> {
    if (!this.inTransaction) return this.engine.query<R>(sql, params, options);
    await this.engine.query('SAVEPOINT indexwise_hypopg');
    try {
      const rows = await this.engine.query<R>(sql, params, options);
      await this.engine.query('RELEASE SAVEPOINT indexwise_hypopg');
      return rows;
    } catch (error) {
      await rollbackToSavepoint(this.engine, 'indexwise_hypopg');
      throw error;
    }
  }

  explain(sql: string, options?: ExplainOptions): Promise<Plan> {
    return this.engine.explain(sql, options);
  }

  exitGenericPlans(): Promise<void> {
    return this.engine.exitGenericPlans();
  }
}

export class HybridBackend implements WhatIfBackend {
  readonly method = 'hybrid' as const;
  /** Registered ids HypoPG holds; every other registered id is built in the transaction. */
  private readonly hypothetical = new Set<string>();
  /** Registered candidates built for real (in the transaction) when a plan needs them. */
  private realCount = 0;

  private constructor(
    private readonly engine: PostgresEngine,
    private readonly session: SavepointSession,
    private readonly hypopg: HypoPgBackend,
    private readonly transaction: TransactionBackend,
  ) {}

  /**
   * Opens the transaction on `engine`, whose HypoPG (in `schema`) was reset and which holds
   * generic plans for the HypoPG side (released by close()).
   */
  static async open(engine: PostgresEngine, schema: string, options: WhatIfOptions = {}): Promise<HybridBackend> {
    const session = new SavepointSession(engine);
    const hypopg = new HypoPgBackend(session, schema);
    try {
      return new HybridBackend(engine, session, hypopg, await TransactionBackend.open(engine, options));
    } catch (error) {
      session.inTransaction = false;
      await hypopg.close();
      throw error;
    }
  }

  get notes(): readonly string[] {
    return [
      `What-if by hybrid: ${this.hypothetical.size} B-tree/BRIN/hash candidate index(es) were HypoPG hypothetical indexes; ` +
        `${this.realCount} GIN/GiST/SP-GiST one(s) were built for real, as plans needed them, inside a transaction that was rolled back (their sizes are exact).`,
    ];
  }

  register(id: string, def: IndexDef): void {
    if (HYPOPG_METHODS.has(def.method)) {
      this.hypothetical.add(id);
      this.hypopg.register(id, def);
    } else {
      this.realCount++;
      this.transaction.register(id, def);
    }
  }

  private backendOf(id: string): HypoPgBackend | TransactionBackend {
    return this.hypothetical.has(id) ? this.hypopg : this.transaction;
  }

  size(id: string): Promise<number> {
    return this.backendOf(id).size(id);
  }

  knownSize(id: string): number | undefined {
    return this.backendOf(id).knownSize(id);
  }

  async explain(sql: string, options: ExplainOptions, active: readonly string[], tables: ReadonlySet<string>): Promise<WhatIfExplain> {
    const hypothetical = active.filter((id) => this.hypothetical.has(id));
    const built = active.filter((id) => !this.hypothetical.has(id));
    await this.hypopg.arrange(hypothetical, tables);
    const plan = await this.transaction.within(built, tables, () => this.explainReadOnly(sql, options));
    return {
      plan,
      usedIds: [...this.hypopg.usedIdsIn(plan), ...this.transaction.usedIdsIn(plan)],
      refused: [...this.hypopg.refusedAmong(hypothetical), ...this.transaction.refusedAmong(built)],
    };
  }

  /**
   * EXPLAIN in a read-only savepoint. The planner runs a stable function in a constant
   * expression to estimate it; one that writes must fail there, as it does on HypoPG's
   * read-only session — inside the read-write transaction its write would run while
   * HypoPG's hypothetical indexes are planned ("cache lookup failed for index").
   */
  private async explainReadOnly(sql: string, options: ExplainOptions): Promise<Plan> {
    await this.engine.query('SAVEPOINT indexwise_hybrid_explain');
    try {
      await this.engine.query(`SELECT set_config('transaction_read_only', 'on', true)`);
      return await this.engine.explain(sql, options);
    } finally {
      // back to read-write (the savepoint's setting is undone) and no savepoint left behind
      await rollbackToSavepoint(this.engine, 'indexwise_hybrid_explain');
    }
  }

  /** Rolls the builds back, then resets HypoPG (which the rollback does not touch). */
  async close(): Promise<void> {
    await this.transaction.close();
    this.session.inTransaction = false;
    await this.hypopg.close();
  }
}
