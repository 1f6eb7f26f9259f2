/**
 * What `migrate` and `apply` start from: a saved `advise --json` (recommendations to
 * create) and/or `health --json` (findings; the unused, duplicate and redundant ones are
 * drop candidates). Reads and checks the JSON shape; pure.
 */
import { InputError } from '../errors.js';
import type { Finding } from '../model/finding.js';
import { INDEX_METHODS, type IndexMethod } from '../model/index-def.js';
import type { Dialect } from '../sql/dialect.js';

/** The parts of a recommendation a migration needs (the rest of advise's JSON is ignored). */
export interface RecommendationInput {
  readonly table: string;
  readonly columns: readonly string[];
  readonly include: readonly string[];
  readonly where: string | null;
  /** The access method (advise's `method`; btree when absent, as in advice written before other methods existed). */
  readonly method: IndexMethod;
  readonly name: string | null;
  /** One line on why, for the migration's comments. */
  readonly reason: string;
  /** advise said the table is partitioned (no CONCURRENTLY in one statement). */
  readonly partitioned: boolean;
}

export interface PlanInput {
  /** Where it came from: a file name, or "live". */
  readonly source: string;
  /** Known from advise's `engine`; null for a health report. */
  readonly dialect: Dialect | null;
  readonly recommendations: readonly RecommendationInput[];
  readonly findings: readonly Finding[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export function dialectOfEngine(engine: unknown): Dialect | null {
  if (engine === 'sqlite') return 'sqlite';
  if (engine === 'postgres' || engine === 'pglite') return 'postgres';
  return null;
}

/** Reads one JSON document (advise or health output). */
export function parsePlanInput(text: string, source: string): PlanInput {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${source} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(json) || (!Array.isArray(json.recommendations) && !Array.isArray(json.findings))) {
    throw new InputError(`${source} is neither advise --json nor health --json output (no "recommendations" or "findings")`);
  }
  const recommendations = Array.isArray(json.recommendations)
    ? json.recommendations.map((r, i) => readRecommendation(r, `${source}: recommendation ${i + 1}`))
    : [];
  // advise lists the existing indexes its recommendations make redundant in the finding shape
  const listed = [...(Array.isArray(json.findings) ? json.findings : []), ...(Array.isArray(json.replaces) ? json.replaces : [])];
  const findings = listed.map((f, i) => readFinding(f, `${source}: finding ${i + 1}`));
  return { source, dialect: dialectOfEngine(json.engine), recommendations, findings };
}

function readRecommendation(value: unknown, where: string): RecommendationInput {
  if (!isObject(value) || typeof value.table !== 'string' || !isStrings(value.columns) || value.columns.length === 0) {
    throw new InputError(`${where} has no "table" and "columns"`);
  }
  const include = value.include === undefined ? [] : value.include;
  if (!isStrings(include)) throw new InputError(`${where}: "include" must be a list of column names`);
  if (value.where !== undefined && value.where !== null && typeof value.where !== 'string')
    throw new InputError(`${where}: "where" must be SQL text or null`);
  const method = value.method ?? 'btree';
  if (!INDEX_METHODS.includes(method as IndexMethod))
    throw new InputError(`${where}: "method" must be one of ${INDEX_METHODS.join(', ')}, not ${JSON.stringify(method)}`);
  const share =
    typeof value.workloadShareSaved === 'number'
      ? `saves ${(value.workloadShareSaved * 100).toFixed(1)}% of the workload's cost`
      : 'recommended by advise';
  return {
    table: value.table,
    columns: value.columns,
    include,
    where: typeof value.where === 'string' ? value.where : null,
    method: method as IndexMethod,
    name: typeof value.name === 'string' ? value.name : null,
    reason: share,
    partitioned: value.partitioned === true,
  };
}

function readFinding(value: unknown, where: string): Finding {
  if (!isObject(value) || typeof value.check !== 'string') throw new InputError(`${where} has no "check"`);
  const evidence = isObject(value.evidence) ? (value.evidence as Finding['evidence']) : {};
  return {
    check: value.check,
    severity: value.severity === 'error' || value.severity === 'warning' ? value.severity : 'info',
    table: typeof value.table === 'string' ? value.table : null,
    index: typeof value.index === 'string' ? value.index : null,
    message: typeof value.message === 'string' ? value.message : value.check,
    evidence,
    fixSql: typeof value.fixSql === 'string' ? value.fixSql : null,
  };
}

/** The index definition a drop finding carries in its evidence, if any. */
export function findingDefinition(finding: Finding): string | null {
  for (const key of ['definition', 'indexDefinition', 'indexdef']) {
    const value = finding.evidence[key];
    if (typeof value === 'string' && /^\s*CREATE\s/i.test(value)) return value;
  }
  return null;
}
