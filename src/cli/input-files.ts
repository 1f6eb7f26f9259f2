/**
 * The JSON files commands read back (`report --advice`, `report --verify`, `verify
 * --trial`): a file of the wrong kind or edited by hand is named with the first field
 * it lacks, before anything connects or runs — not a crash halfway through.
 */
import { InputError } from '../errors.js';
import type { AdvisedGroups } from '../fleet/advise.js';
import type { Comparison } from '../model/measurement.js';
import type { AdviceReport } from '../model/recommendation.js';
import { checkPredicates } from '../migrate/validate.js';
import { readJsonFile } from './options.js';

/** 'number|null': a number or null; [shape]: a list of it; { key: shape }: an object with at least these keys. */
type Shape =
  'string' | 'number' | 'boolean' | 'string|null' | 'number|null' | 'boolean|null' | readonly [Shape] | { readonly [key: string]: Shape };

/** The first way `value` differs from `shape`, as `"path" is missing` or `"path" is not a number`; null when it fits. */
function mismatch(value: unknown, shape: Shape, at: string): string | null {
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return `"${at}" is not a list`;
    for (const [i, item] of value.entries()) {
      const found = mismatch(item, shape[0] as Shape, `${at}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof shape === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return `"${at || '(top)'}" is not an object`;
    for (const [key, inner] of Object.entries(shape)) {
      const here = at === '' ? key : `${at}.${key}`;
      const field = (value as Record<string, unknown>)[key];
      if (field === undefined) return `"${here}" is missing`;
      const found = mismatch(field, inner, here);
      if (found !== null) return found;
    }
    return null;
  }
  const [type, nullable] = (shape as string).split('|');
  if (value === null && nullable === 'null') return null;
  return typeof value === type ? null : `"${at}" is not a ${type}`;
}

/** A recommendation's index as advise --json writes it: what an index is built from. */
const INDEX: Shape = {
  table: { schema: 'string', name: 'string' },
  keys: [{ column: 'string', descending: 'boolean', nullsFirst: 'boolean|null', opclass: 'string|null' }],
  include: ['string'],
  where: 'string|null',
};

/** What report reads of an advise --json (README: "advise --json prints …"). */
const ADVICE: Shape = {
  whatIf: 'string',
  cost: { before: 'number', after: 'number' },
  recommendations: [
    {
      table: 'string',
      columns: ['string'],
      include: ['string'],
      where: 'string|null',
      name: 'string',
      sql: 'string',
      estimatedBytes: 'number',
      queries: ['string'],
      costBefore: 'number',
      costAfter: 'number',
      workloadShareSaved: 'number',
      writePenalty: 'number',
      index: INDEX,
    },
  ],
  queries: [{ fingerprint: 'string', sql: 'string', costBefore: 'number', costAfter: 'number' }],
};

/** What verify --trial reads of an advise --json: the indexes to build and their names. */
const TRIAL_ADVICE: Shape = {
  recommendations: [
    {
      name: 'string',
      index: INDEX,
    },
  ],
};

/** What report reads of a verify comparison. */
const COMPARISON: Shape = {
  before: { measuredAt: 'string' },
  after: { measuredAt: 'string' },
  workload: { beforeMs: 'number', afterMs: 'number', speedup: 'number|null' },
  queries: [
    {
      sql: 'string',
      calls: 'number',
      beforeMs: 'number|null',
      afterMs: 'number|null',
      speedup: 'number|null',
      speedupIsLowerBound: 'boolean',
      planChange: 'string',
    },
  ],
};

function checked<T>(value: unknown, shape: Shape, path: string, what: string): T {
  const found = mismatch(value, shape, '');
  if (found !== null) throw new InputError(`${path} is not ${what}: ${found}`);
  return value as T;
}

export function readAdviceFile(path: string): AdviceReport {
  return checked<AdviceReport>(readJsonFile(path, 'an advise --json file'), ADVICE, path, 'a complete advise --json file');
}

/**
 * An advice whose indexes are built as written (verify --trial): every predicate one SQL
 * expression and every operator class a name, so no edited file can slip in a statement.
 */
async function buildable(value: unknown, path: string): Promise<AdviceReport> {
  const advice = checked<AdviceReport>(value, TRIAL_ADVICE, path, 'an advise --json file with indexes to build');
  for (const r of advice.recommendations) {
    const opclass = r.index.keys.find(
      (k) => k.opclass !== null && !/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/.test(k.opclass),
    );
    if (opclass !== undefined) throw new InputError(`${path}: the operator class of ${r.name} is not a name: "${opclass.opclass}"`);
  }
  await checkPredicates(
    advice.recommendations.map((r) => ({
      name: r.name,
      where: r.index.where,
      expressions: r.index.keys.filter((k) => k.expression !== undefined).map((k) => k.column),
    })),
  );
  return advice;
}

export async function readBuildableAdvice(path: string): Promise<AdviceReport> {
  return buildable(readJsonFile(path, 'an advise --json file'), path);
}

function fleetGroups(value: unknown, path: string): AdvisedGroups {
  const groups = (value as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(groups)) throw new InputError(`${path} is not advise --fleet --json output (no "groups")`);
  return groups as AdvisedGroups;
}

/** A saved `advise --fleet --json`: its schema groups, each with its advice (apply --fleet --group reads it). */
export function readFleetAdvice(path: string): AdvisedGroups {
  return fleetGroups(readJsonFile(path, 'an advise --fleet --json file'), path);
}

/**
 * verify --fleet --trial's file: a saved `advise --fleet --json` (each member is given its
 * group's advice) or one `advise --json` (the same advice for every member), every index in
 * it checked as buildable before any database is touched.
 */
export async function readTrialAdvice(path: string): Promise<{ groups: AdvisedGroups } | { report: AdviceReport }> {
  const value = readJsonFile(path, 'an advise --json or advise --fleet --json file');
  if (typeof value !== 'object' || value === null || !('groups' in value)) return { report: await buildable(value, path) };
  const groups = fleetGroups(value, path);
  for (const g of groups) {
    if (g.advice !== undefined && 'report' in g.advice) await buildable(g.advice.report, `${path} (group ${g.name})`);
  }
  return { groups };
}

/** A `verify compare --json` comparison, or the comparison inside a `verify --trial --json` result. */
export function readComparisonFile(path: string): Comparison {
  const value = readJsonFile(path, 'a verify result') as { comparison?: unknown } | null;
  const comparison = typeof value === 'object' && value !== null && 'comparison' in value ? value.comparison : value;
  return checked<Comparison>(comparison, COMPARISON, path, 'a verify comparison (verify compare --json or verify --trial --json)');
}
