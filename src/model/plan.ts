/**
 * Execution plans as PostgreSQL's `EXPLAIN (FORMAT JSON)` returns them, and small
 * pure helpers to read them. SQLite plans are converted to the same node shape.
 */

export interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Total Cost': number;
  readonly 'Startup Cost'?: number;
  readonly 'Plan Rows'?: number;
  readonly 'Relation Name'?: string;
  readonly Schema?: string;
  readonly Alias?: string;
  readonly 'Index Name'?: string;
  readonly 'Actual Total Time'?: number;
  readonly Plans?: readonly PlanNode[];
  readonly [key: string]: unknown;
}

export interface Plan {
  /** The root node. */
  readonly root: PlanNode;
  /** The planner's total cost estimate of the root. */
  readonly totalCost: number;
  /** Milliseconds, when the plan came from EXPLAIN ANALYZE. */
  readonly executionTimeMs?: number;
  readonly planningTimeMs?: number;
}

export function* walkPlan(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* walkPlan(child);
}

/** Names of the indexes a plan reads, in plan order, without repeats. */
export function indexesUsed(plan: Plan): string[] {
  const names = new Set<string>();
  for (const node of walkPlan(plan.root)) {
    const name = node['Index Name'];
    if (typeof name === 'string') names.add(name);
  }
  return [...names];
}

/** The distinct scan node types of a plan, e.g. ["Seq Scan", "Index Only Scan"]. */
export function scanTypes(plan: Plan): string[] {
  return nodeTypes(plan, (type) => type.endsWith('Scan'));
}

/** One scan of a plan: its node type and what it reads (a table, an index, or both). */
export interface PlanScan {
  readonly node: string;
  /** The relation, schema-qualified where the plan names the schema (EXPLAIN VERBOSE). */
  readonly table?: string;
  readonly index?: string;
}

/** The scans of a plan in plan order, each distinct one once, e.g. Seq Scan on orders. */
export function planScans(plan: Plan): PlanScan[] {
  const seen = new Map<string, PlanScan>();
  for (const node of walkPlan(plan.root)) {
    const type = node['Node Type'];
    if (!type.endsWith('Scan')) continue;
    const relation = node['Relation Name'];
    const table = typeof relation === 'string' ? (node.Schema ? `${node.Schema}.${relation}` : relation) : undefined;
    const index = typeof node['Index Name'] === 'string' ? node['Index Name'] : undefined;
    const scan: PlanScan = { node: type, ...(table === undefined ? {} : { table }), ...(index === undefined ? {} : { index }) };
    seen.set(describeScan(scan), scan);
  }
  return [...seen.values()];
}

/** A scan as EXPLAIN's text output words it: "Index Scan using orders_pkey on orders". */
export function describeScan(scan: PlanScan): string {
  return `${scan.node}${scan.index === undefined ? '' : ` using ${scan.index}`}${scan.table === undefined ? '' : ` on ${scan.table}`}`;
}

const JOIN_NODES = new Set(['Nested Loop', 'Hash Join', 'Merge Join']);

/** The join node types of a plan (Nested Loop, Hash Join, Merge Join), each once, in plan order. */
export function joinTypes(plan: Plan): string[] {
  return nodeTypes(plan, (type) => JOIN_NODES.has(type));
}

function nodeTypes(plan: Plan, wanted: (type: string) => boolean): string[] {
  const types = new Set<string>();
  for (const node of walkPlan(plan.root)) {
    if (wanted(node['Node Type'])) types.add(node['Node Type']);
  }
  return [...types];
}

/** Reads the object PostgreSQL returns for `EXPLAIN (FORMAT JSON)`. */
export function planFromExplainJson(json: unknown): Plan {
  const top = (Array.isArray(json) ? json[0] : json) as Record<string, unknown> | undefined;
  const root = top?.Plan as PlanNode | undefined;
  if (root === undefined || typeof root['Total Cost'] !== 'number') {
    throw new Error('EXPLAIN returned no plan');
  }
  const plan: { -readonly [K in keyof Plan]: Plan[K] } = { root, totalCost: root['Total Cost'] };
  if (typeof top?.['Execution Time'] === 'number') plan.executionTimeMs = top['Execution Time'] as number;
  if (typeof top?.['Planning Time'] === 'number') plan.planningTimeMs = top['Planning Time'] as number;
  return plan;
}
