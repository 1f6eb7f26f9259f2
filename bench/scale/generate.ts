/**
 * The scale benchmark's input, from a seed: the schema (schema.ts) and a workload of
 * about `queriesPerTable` distinct query shapes per table (queries.ts), with Zipf-like
 * call counts, as a SQL script annotated with `-- calls: N` (the `--from sql:FILE`
 * format). Pure and deterministic: the same options give the same output.
 */
import { type ShapeStatement, type Template, TEMPLATES } from './queries.js';
import { type Random, seededRandom } from './random.js';
import { generateTables, type ScaleTable } from './schema.js';

export interface ScaleOptions {
  readonly tables: number;
  readonly queriesPerTable: number;
  readonly seed: number;
}

export interface WeightedStatement extends ShapeStatement {
  readonly calls: number;
}

export interface ScaleWorkload {
  readonly options: ScaleOptions;
  readonly tables: readonly ScaleTable[];
  readonly statements: readonly WeightedStatement[];
  /** Distinct shapes generated (distinct signatures): the workload entries a correct collector makes. */
  readonly shapes: number;
}

/** Calls of the most frequent statement; the n-th most frequent gets TOP_CALLS / n (Zipf, s = 1). */
const TOP_CALLS = 50_000;

export function generateScale(options: ScaleOptions): ScaleWorkload {
  if (!Number.isInteger(options.queriesPerTable) || options.queriesPerTable < 1) {
    throw new Error(`queries per table must be a positive integer, not ${options.queriesPerTable}`);
  }
  const random = seededRandom(options.seed);
  const tables = generateTables(options.tables, random);
  const byName = new Map(tables.map((t) => [t.name, t]));
  const shapes = tables.flatMap((table) => tableStatements(table, byName, options.queriesPerTable, random));
  const ranked = random.shuffle(shapes);
  const statements = ranked.map((s, i) => ({ ...s, calls: Math.max(1, Math.round(TOP_CALLS / (i + 1))) }));
  return { options, tables, statements, shapes: new Set(statements.map((s) => s.signature)).size };
}

/** Up to `wanted` statements on one table, from distinct templates picked by weight. */
function tableStatements(table: ScaleTable, tables: ReadonlyMap<string, ScaleTable>, wanted: number, random: Random): ShapeStatement[] {
  let open: { template: Template; statements: { variant: string; sql: string }[] }[] = TEMPLATES.map((template) => ({
    template,
    statements: template.statements(table, tables),
  })).filter((o) => o.statements.length > 0);
  const out: ShapeStatement[] = [];
  while (out.length < wanted && open.length > 0) {
    const chosen = weightedPick(open, (o) => o.template.weight, random);
    open = open.filter((o) => o !== chosen);
    const { variant, sql } = random.pick(chosen.statements);
    const { name, write } = chosen.template;
    out.push({ signature: `${name}|${table.name}|${variant}`, template: name, table: table.name, write, sql });
  }
  return out;
}

function weightedPick<T>(items: readonly T[], weight: (item: T) => number, random: Random): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let point = random.next() * total;
  for (const item of items) {
    point -= weight(item);
    if (point < 0) return item;
  }
  return items[items.length - 1] as T;
}

/** The workload as `--from sql:FILE` reads it: each statement after its `-- calls: N`. */
export function workloadScript(workload: ScaleWorkload): string {
  return workload.statements.map((s) => `-- calls: ${s.calls}\n${s.sql};\n`).join('\n');
}
