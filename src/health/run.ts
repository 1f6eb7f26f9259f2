/** `health`: runs the chosen checks and returns their findings, most severe first. */
import type { Engine, EngineInfo } from '../engines/engine.js';
import { InputError } from '../errors.js';
import { type Finding, severityRank } from '../model/finding.js';
import type { Workload } from '../model/workload.js';
import type { Dialect } from '../sql/dialect.js';
import { CHECKS } from './catalogue.js';
import type { Check } from './check.js';

export interface HealthOptions {
  /** Run only these checks (ids). */
  readonly checks?: readonly string[];
  readonly skipChecks?: readonly string[];
  /** Threshold overrides by name. */
  readonly thresholds?: Readonly<Record<string, number>>;
  /** Replicas whose usage counters also count (unused-index). */
  readonly replicas?: readonly Engine[];
  /** The application's workload (unused-by-workload reads its plans). */
  readonly workload?: Workload;
}

export interface HealthReport {
  readonly info: EngineInfo;
  readonly checks: readonly string[];
  readonly findings: readonly Finding[];
}

export function selectChecks(family: Dialect, options: HealthOptions = {}): Check[] {
  for (const id of [...(options.checks ?? []), ...(options.skipChecks ?? [])]) {
    if (!CHECKS.some((c) => c.id === id)) throw new InputError(`unknown check "${id}": see indexwise health --list`);
  }
  return CHECKS.filter(
    (c) =>
      c.engines.includes(family) &&
      (options.checks === undefined || options.checks.includes(c.id)) &&
      !(options.skipChecks ?? []).includes(c.id),
  );
}

/** Every threshold of the catalogue with its default, overridden where given. */
export function thresholdValues(overrides: Readonly<Record<string, number>> = {}): Record<string, number> {
  const values: Record<string, number> = {};
  for (const check of CHECKS) for (const t of check.thresholds) values[t.name] = overrides[t.name] ?? t.default;
  return values;
}

export async function runHealth(engine: Engine, options: HealthOptions = {}): Promise<HealthReport> {
  const info = await engine.info();
  const checks = selectChecks(info.family, options);
  const catalog = await engine.catalog();
  const context = {
    engine,
    info,
    catalog,
    thresholds: thresholdValues(options.thresholds),
    replicas: options.replicas ?? [],
    ...(options.workload === undefined ? {} : { workload: options.workload }),
  };
  const findings: Finding[] = [];
  for (const check of checks) findings.push(...(await check.run(context)));
  findings.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) || a.check.localeCompare(b.check) || (a.index ?? '').localeCompare(b.index ?? ''),
  );
  return { info, checks: checks.map((c) => c.id), findings };
}
