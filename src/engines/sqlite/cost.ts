/**
 * A cost for the plan SQLite's planner chose. SQLite prints no costs, so the plan it
 * picks (SCAN or SEARCH, which index, which temp b-trees) is the judge, and this
 * model puts a number on it, from sqlite_stat1 row estimates. One unit is one row of a
 * table scan; the constants were calibrated against timed runs on real files (5,000 and
 * 50,000 rows, cached, inside a read transaction; bench/advise/sqlite-expert.ts):
 *
 * - N is the table's rows; a b-tree descent costs log2(N + 1).
 * - SCAN t: N (one unit per row, measured 45 ns). SCAN t USING COVERING INDEX i: N × 0.5
 *   (narrower rows). SCAN t USING INDEX i: N × (1 + lookup), lookup = log2(N + 1) / 3
 *   being the rowid lookup into the table for each index entry (measured 3.5–5 units).
 * - SEARCH …: 8 (opening and positioning the cursors: a search on a 10-row table saves
 *   10% at most over its scan, on 20 rows a third) + descent + rows × (1 for a covering index,
 *   the rowid or a WITHOUT ROWID primary key; 1 + lookup for an index). rows comes from
 *   sqlite_stat1 ("N a1 a2 …": a_k rows per value of the first k columns) for the
 *   leading equality constraints, divided by 4 per range bound; without statistics 10
 *   per equality. A skip-scan (`ANY(a) AND b=?`) also pays half a descent per distinct
 *   value of the skipped columns (N / a_k of them): it seeks once per value.
 * - An automatic index (SQLite builds one for the statement): N × (1 + log2(N + 1) / 4)
 *   once, then searches.
 * - WHERE terms on a step's table that its index does not serve filter the rows it
 *   passes on: ÷ 10 for an equality, ÷ 4 for anything else (where-terms.ts).
 * - Nested loops multiply: each step runs once per row of the steps before it.
 * - USE TEMP B-TREE (ORDER BY, GROUP BY, DISTINCT): 10 + n × log2(n + 1) / 4 for the n
 *   rows sorted (measured 2.5–3.3 units a row), so every temp b-tree counts; a partial
 *   one (LAST TERM / RIGHT PART of an ORDER BY) 10 + n / 2. Sorting every row thus costs
 *   less than reading them all through an index with a lookup each, as measured.
 * - A pipelined plan (no temp b-tree at the top) under LIMIT L stops after L rows: its
 *   loop costs scale by L / rows out.
 * A full scan of a big table therefore ranks far above a selective SEARCH. Pure.
 */
import type { Plan, PlanNode } from '../../model/plan.js';
import { type EqpRow, type PlanTree, planTree, readStep, type Step } from './eqp.js';
import type { WhereTerm } from './where-terms.js';

export interface PlannerStats {
  /** Rows of the table a plan line names (a table or an alias); undefined when unknown. */
  tableOf(name: string): { readonly table: string; readonly rows: number } | undefined;
  /** sqlite_stat1 numbers of an index: [rows, a1, a2, …], or null without statistics. */
  indexStat(index: string): readonly number[] | null;
  /** A WITHOUT ROWID table's primary-key index. */
  primaryKeyIndex(table: string): string | undefined;
  /** Whether the table has this column (for unqualified WHERE terms). */
  hasColumn(table: string, column: string): boolean;
}

/** What the cost model reads besides the plan: the statistics and the statement's filters. */
export interface CostContext {
  readonly stats: PlannerStats;
  /** The outermost LIMIT (count + offset), or null. */
  readonly limit: number | null;
  readonly where: readonly WhereTerm[];
}

const COVERING_SCAN = 0.5;
const DEFAULT_ROWS = 1_000;
const EQUALITY_ROWS_WITHOUT_STATS = 10;
const RANGE_FACTOR = 4;
const SORT_FIXED = 10;
const SEARCH_FIXED = 8;
const EQUALITY_FILTER = 10;
const OTHER_FILTER = 4;
/** SQLite skip-scans only with statistics; should a plan show one without them. */
const DEFAULT_SKIPPED_VALUES = 10;

const descent = (n: number) => Math.log2(n + 1);
const lookup = (n: number) => Math.log2(n + 1) / 3;

interface Level {
  /** Cost of the loops: scales with a LIMIT when nothing blocks. */
  cost: number;
  /** Cost paid once whatever the LIMIT: sub-queries, co-routines, automatic indexes. */
  fixed: number;
  /** Rows out of the last loop. */
  rows: number;
  nodes: PlanNode[];
  sorted: boolean;
}

/** Rows a search returns per loop, from the index's statistics and the constraints it uses. */
function searchRows(step: Extract<Step, { kind: 'access' }>, n: number, stat: readonly number[] | null): number {
  const equalities = step.constraints.filter((c) => c.op === '=' || c.op === 'any').length;
  const ranges = step.constraints.filter((c) => c.op === '>' || c.op === '<').length;
  let rows = n;
  if (step.path === 'rowid') rows = equalities > 0 ? 1 : n;
  else if (equalities > 0)
    rows = stat === null ? Math.min(n, EQUALITY_ROWS_WITHOUT_STATS) : (stat[Math.min(equalities, stat.length - 1)] ?? n);
  return Math.max(1, rows / RANGE_FACTOR ** ranges);
}

/**
 * A skip-scan (`ANY(a) AND b=?`) seeks once per distinct value of the skipped leading
 * columns: stat[0] / stat[k] of them for k skipped columns. Each step to the next value is
 * half a descent (measured: 0.26 µs per value of `a` on 5,000 rows, where a whole point
 * lookup through an index costs 0.7 µs; SQLite itself skip-scans only where each value of
 * `a` has 18 rows or more).
 */
function skipCost(step: Extract<Step, { kind: 'access' }>, n: number, stat: readonly number[] | null): number {
  const skipped = step.constraints.filter((c) => c.op === 'any').length;
  if (skipped === 0) return 0;
  const perValue = stat?.[skipped];
  const values = stat === null || perValue === undefined ? DEFAULT_SKIPPED_VALUES : (stat[0] ?? n) / Math.max(1, perValue);
  return Math.max(1, values) * (descent(n) / 2);
}

/** The share of rows the WHERE terms on this step's table let through, beyond the constraints its index serves. */
function residualShare(
  step: Extract<Step, { kind: 'access' }>,
  table: string | undefined,
  where: readonly WhereTerm[],
  stats: PlannerStats,
): number {
  const served = new Set(step.constraints.map((c) => c.column.toLowerCase()));
  let share = 1;
  for (const term of where) {
    const mine =
      term.alias === null
        ? table !== undefined && term.columns.every((c) => stats.hasColumn(table, c))
        : term.alias === step.name.toLowerCase() || term.alias === table?.toLowerCase();
    if (mine && !term.columns.some((c) => served.has(c.toLowerCase()))) share /= term.equality ? EQUALITY_FILTER : OTHER_FILTER;
  }
  return share;
}

function accessCost(
  step: Extract<Step, { kind: 'access' }>,
  context: CostContext,
  loops: number,
): { cost: number; once: number; rows: number; node: PlanNode } {
  const stats = context.stats;
  const found = stats.tableOf(step.name);
  const n = Math.max(1, found?.rows ?? DEFAULT_ROWS);
  const indexName = step.path === 'primary-key' && found ? stats.primaryKeyIndex(found.table) : (step.index ?? undefined);
  const stat = indexName === undefined ? null : stats.indexStat(indexName);
  const cheapRows = step.path !== 'index';
  let perLoop: number;
  let rows: number;
  let once = 0;
  if (!step.search) {
    rows = n;
    perLoop = step.path === 'covering-index' ? n * COVERING_SCAN : step.path === 'index' ? n * (1 + lookup(n)) : n;
  } else {
    rows = searchRows(step, n, stat);
    perLoop = SEARCH_FIXED + descent(n) + skipCost(step, n, stat) + rows * (cheapRows ? 1 : 1 + lookup(n));
    if (step.path === 'automatic-index') once = n * (1 + descent(n) / 4);
  }
  const cost = loops * perLoop;
  rows = Math.max(1e-3, rows * residualShare(step, found?.table, context.where, stats));
  const type =
    step.path === 'table' ? 'Seq Scan' : step.path === 'covering-index' || step.path === 'primary-key' ? 'Index Only Scan' : 'Index Scan';
  const node: PlanNode = {
    'Node Type': type,
    'Total Cost': once + cost,
    'Plan Rows': rows,
    ...(found ? { 'Relation Name': found.table } : {}),
    ...(step.index !== null && step.path !== 'automatic-index' ? { 'Index Name': step.index } : {}),
  };
  return { cost, once, rows, node };
}

function sortCost(partial: boolean, n: number): number {
  return SORT_FIXED + (partial ? n / 2 : (n * descent(n)) / 4);
}

function stepNode(tree: PlanTree, type: string, cost: number, rows: number, children: PlanNode[] = []): PlanNode {
  return {
    'Node Type': type,
    'Total Cost': cost,
    'Plan Rows': rows,
    Detail: tree.row.detail,
    ...(children.length > 0 ? { Plans: children } : {}),
  };
}

/** The steps of one level run as nested loops, in order. */
function costLevel(trees: readonly PlanTree[], context: CostContext, produced: Map<string, number>): Level {
  const level: Level = { cost: 0, fixed: 0, rows: 1, nodes: [], sorted: false };
  for (const tree of trees) {
    const step = readStep(tree.row.detail);
    if (step.kind === 'access') {
      const fed = produced.get(step.name);
      const access =
        fed === undefined
          ? accessCost(step, context, level.rows)
          : { cost: level.rows * fed, once: 0, rows: fed, node: stepNode(tree, 'Subquery Scan', level.rows * fed, fed) };
      level.cost += access.cost;
      level.fixed += access.once;
      level.rows = Math.max(1e-3, level.rows * access.rows);
      level.nodes.push({ ...access.node, Detail: tree.row.detail });
    } else if (step.kind === 'sort') {
      const cost = sortCost(step.partial, level.rows);
      level.fixed += cost;
      level.sorted = true;
      level.nodes.push(stepNode(tree, 'Sort', cost, level.rows));
    } else if (step.kind === 'group' && step.label === 'MULTI-INDEX OR') {
      const inner = costBranches(tree.children, context, produced);
      level.cost += inner.cost * level.rows;
      level.fixed += inner.fixed;
      level.rows = Math.max(1, level.rows * inner.rows);
      level.nodes.push(stepNode(tree, 'BitmapOr', inner.cost, inner.rows, inner.nodes));
    } else {
      const inner = costLevel(tree.children, context, produced);
      const whole = inner.cost + inner.fixed;
      if (step.kind === 'producer') produced.set(step.name, inner.rows);
      if (step.kind === 'correlated') level.cost += whole * level.rows;
      else level.fixed += whole;
      level.nodes.push(stepNode(tree, step.kind === 'producer' ? 'Subquery' : 'Group', whole, inner.rows, inner.nodes));
    }
  }
  return level;
}

/** MULTI-INDEX OR: each branch (INDEX 1, INDEX 2, …) searches once per loop; their rows add up. */
function costBranches(branches: readonly PlanTree[], context: CostContext, produced: Map<string, number>): Level {
  const level: Level = { cost: 0, fixed: 0, rows: 0, nodes: [], sorted: false };
  for (const branch of branches) {
    const inner = costLevel(branch.children, context, produced);
    level.cost += inner.cost;
    level.fixed += inner.fixed;
    level.rows += inner.rows;
    level.nodes.push(stepNode(branch, 'Group', inner.cost + inner.fixed, inner.rows, inner.nodes));
  }
  return level;
}

/** EXPLAIN QUERY PLAN rows → the shared plan shape with this module's costs. */
export function costPlan(rows: readonly EqpRow[], context: CostContext): Plan {
  const limit = context.limit;
  const top = costLevel(planTree(rows), context, new Map());
  const scale = limit !== null && !top.sorted ? Math.min(1, limit / Math.max(1, top.rows)) : 1;
  const total = Math.max(1, top.fixed + top.cost * scale);
  const root: PlanNode = {
    'Node Type': 'QUERY PLAN',
    'Total Cost': total,
    'Plan Rows': Math.max(1, limit === null ? top.rows : Math.min(limit, top.rows)),
    Plans: top.nodes,
  };
  return { root, totalCost: total };
}
