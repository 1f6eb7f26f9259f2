/**
 * Plan inputs from a live database instead of saved JSON: run advise (same workload
 * options as `indexwise advise`) and the drop checks of health, and read the exact
 * definitions of indexes to drop.
 */
import { advise, type AdviseOptions } from '../advisor/advise.js';
import type { Engine } from '../engines/engine.js';
import { runHealth, selectChecks } from '../health/run.js';
import { type QualifiedName, sameName } from '../model/catalog.js';
import { isIndexDefinition } from '../sql/ddl.js';
import { formatQualified } from '../sql/names.js';
import { type CollectOptions, collectFrom, type SourceSpec } from '../workload/collect.js';
import { parsePlanInput, type PlanInput } from './inputs.js';
import { DROP_CHECKS, type PlanSelection } from './plan.js';

export async function liveAdvice(
  engine: Engine,
  specs: readonly SourceSpec[],
  collect: CollectOptions,
  options: AdviseOptions,
): Promise<PlanInput> {
  const { workload } = await collectFrom(engine, specs, collect);
  const report = await advise(engine, workload, await engine.catalog(), options);
  return parsePlanInput(JSON.stringify(report), 'advise (live)');
}

/** The drop checks the selection asks for that the catalogue has, run now. */
export async function liveDropFindings(engine: Engine, selection: PlanSelection): Promise<PlanInput | null> {
  const wanted = [...(selection.dropUnused ? DROP_CHECKS.unused : []), ...(selection.dropDuplicates ? DROP_CHECKS.duplicates : [])];
  const family = (await engine.info()).family;
  const checks = selectChecks(family, { checks: wanted }).map((check) => check.id);
  if (checks.length === 0) return null;
  const report = await runHealth(engine, { checks });
  return { source: 'health (live)', dialect: family, recommendations: [], findings: report.findings };
}

/** The definition of each index that exists (pg_get_indexdef, sqlite_schema.sql, from the catalog), by formatQualified name. */
export async function readIndexDefinitions(engine: Engine, indexes: readonly QualifiedName[]): Promise<Map<string, string>> {
  const catalog = await engine.catalog();
  const definitions = new Map<string, string>();
  for (const index of indexes) {
    const definition = catalog.indexes.find((i) => sameName(i, index))?.definition;
    if (definition !== undefined && isIndexDefinition(definition)) definitions.set(formatQualified(index), definition);
  }
  return definitions;
}
