/**
 * Plan inputs from a live database instead of saved JSON: run advise (same workload
 * options as `indexwise advise`) and the drop checks of health, and read the exact
 * definitions of indexes to drop.
 */
import { advise, type AdviseOptions } from '../advisor/advise.js';
import type { Engine } from '../engines/engine.js';
import { findCheck } from '../health/catalogue.js';
import { runHealth } from '../health/run.js';
import type { QualifiedName } from '../model/catalog.js';
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
  const checks = wanted.filter((id) => findCheck(id)?.engines.includes(family));
  if (checks.length === 0) return null;
  const report = await runHealth(engine, { checks });
  return { source: 'health (live)', dialect: family, recommendations: [], findings: report.findings };
}

/** pg_get_indexdef / sqlite_schema.sql of each index that exists, by formatQualified name. */
export async function readIndexDefinitions(engine: Engine, indexes: readonly QualifiedName[]): Promise<Map<string, string>> {
  const family = (await engine.info()).family;
  const definitions = new Map<string, string>();
  for (const index of indexes) {
    const rows =
      family === 'sqlite'
        ? await engine.query<{ definition: string }>(
            `SELECT sql AS definition FROM sqlite_schema WHERE type = 'index' AND name = ? AND sql IS NOT NULL`,
            [index.name],
          )
        : await engine.query<{ definition: string }>(
            `SELECT pg_get_indexdef(c.oid) AS definition FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('i', 'I')`,
            [index.schema, index.name],
          );
    const definition = rows[0]?.definition;
    if (typeof definition === 'string') definitions.set(formatQualified(index), definition);
  }
  return definitions;
}
