/**
 * SQLite through better-sqlite3. The user's file is opened read-only.
 * Plans come from EXPLAIN QUERY PLAN; their cost is a rough row-count model
 * (a full scan costs the table's rows, a search the logarithm of them).
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ConnectionError, DatabaseError, oneLine, UnsupportedError } from '../../errors.js';
import type { Catalog } from '../../model/catalog.js';
import type { Plan, PlanNode } from '../../model/plan.js';
import type { Engine, EngineInfo, ExplainOptions, Row } from '../engine.js';
import type { WhatIfBackend } from '../what-if.js';
import { readSqliteCatalog } from './catalog.js';

interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

export class SqliteEngine implements Engine {
  readonly kind = 'sqlite' as const;
  readonly family = 'sqlite' as const;

  private constructor(
    readonly db: Database.Database,
    private readonly path: string,
  ) {}

  static open(path: string, options: { readonly?: boolean } = {}): SqliteEngine {
    if (!existsSync(path)) throw new ConnectionError(`cannot open sqlite:${path}: no such file`);
    try {
      const db = new Database(path, { readonly: options.readonly ?? true, fileMustExist: true });
      db.prepare('SELECT count(*) FROM sqlite_schema').get();
      return new SqliteEngine(db, path);
    } catch (error) {
      throw new ConnectionError(`cannot open sqlite:${path}: ${oneLine(error)}`, { cause: error });
    }
  }

  async info(): Promise<EngineInfo> {
    const { v } = this.db.prepare('SELECT sqlite_version() AS v').get() as { v: string };
    const [major = 0, minor = 0, patch = 0] = v.split('.').map(Number);
    return {
      kind: 'sqlite',
      family: 'sqlite',
      target: `sqlite:${this.path}`,
      serverVersion: v,
      serverVersionNum: major * 1_000_000 + minor * 1_000 + patch,
      database: this.path,
      capabilities: {
        hypopg: false,
        statStatements: false,
        concurrently: false,
        includeColumns: false,
        genericPlan: true,
        statementTimeout: false,
        pgstattuple: false,
      },
    };
  }

  async catalog(): Promise<Catalog> {
    return this.guard(() => readSqliteCatalog(this.db));
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.guard(() => {
      const statement = this.db.prepare(sql);
      return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as R[];
    });
  }

  async explain(sql: string, options: ExplainOptions = {}): Promise<Plan> {
    return this.guard(() => {
      const statement = this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
      const params = options.params ?? [];
      const rows = (params.length > 0 ? statement.all(...params) : statement.all()) as PlanRow[];
      return planFromQueryPlanRows(rows, (table) => this.rowCount(table));
    });
  }

  async refreshStatistics(): Promise<string[]> {
    throw new UnsupportedError('--analyze on SQLite is not available yet');
  }

  async openWhatIf(): Promise<WhatIfBackend> {
    throw new UnsupportedError('what-if costing on SQLite is not available yet');
  }

  private rowCount(table: string): number {
    try {
      const row = this.db.prepare('SELECT stat FROM sqlite_stat1 WHERE tbl = ? AND idx IS NULL').get(table) as { stat?: string } | undefined;
      if (row?.stat) return Number(row.stat.split(' ')[0]);
    } catch {
      // no sqlite_stat1 table: fall through to counting
    }
    try {
      return (this.db.prepare(`SELECT count(*) AS n FROM "${table.replaceAll('"', '""')}"`).get() as { n: number }).n;
    } catch {
      return 1_000;
    }
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof ConnectionError) throw error;
      throw new DatabaseError(oneLine(error), { cause: error });
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Turns EXPLAIN QUERY PLAN rows into the shared plan-node tree with a rough cost. */
export function planFromQueryPlanRows(rows: readonly PlanRow[], rowsOf: (table: string) => number): Plan {
  const nodes = new Map<number, PlanNode & { Plans: PlanNode[] }>();
  const root: PlanNode & { Plans: PlanNode[] } = { 'Node Type': 'QUERY PLAN', 'Total Cost': 0, Plans: [] };
  nodes.set(0, root);
  for (const row of rows) {
    const node = { ...describeDetail(row.detail, rowsOf), Plans: [] as PlanNode[] };
    nodes.set(row.id, node);
    (nodes.get(row.parent) ?? root).Plans.push(node);
  }
  const total = (node: PlanNode): number =>
    node['Total Cost'] + (node.Plans ?? []).reduce((sum, child) => sum + total(child), 0);
  const cost = total(root);
  return { root: { ...root, 'Total Cost': cost }, totalCost: cost };
}

function describeDetail(detail: string, rowsOf: (table: string) => number): PlanNode {
  const scan = /^(SCAN|SEARCH) (\S+|"[^"]+")(?: AS \S+)?(?: USING (COVERING INDEX|INDEX|INTEGER PRIMARY KEY|PRIMARY KEY) ?(\S*))?/.exec(detail);
  if (scan) {
    const table = (scan[2] ?? '').replace(/^"|"$/g, '');
    const n = Math.max(1, rowsOf(table));
    const isSearch = scan[1] === 'SEARCH';
    return {
      'Node Type': isSearch ? (scan[3] === 'COVERING INDEX' ? 'Index Only Scan' : 'Index Scan') : 'Seq Scan',
      'Total Cost': isSearch ? Math.log2(n + 1) * 10 : n,
      'Relation Name': table,
      ...(scan[4] ? { 'Index Name': scan[4] } : {}),
      Detail: detail,
    };
  }
  if (/TEMP B-TREE/.test(detail)) return { 'Node Type': 'Sort', 'Total Cost': 0, Detail: detail };
  return { 'Node Type': detail, 'Total Cost': 0, Detail: detail };
}
