/**
 * A migration plan from what the user gave: saved advise/health JSON files, or a live
 * database (advise run now, drop checks run now). The database is opened only when
 * needed: for live advice, and for the definitions of drops whose findings carry none.
 */
import { readFile } from 'node:fs/promises';
import type { AdviseOptions } from '../advisor/advise.js';
import type { Engine } from '../engines/engine.js';
import { InputError } from '../errors.js';
import type { CollectOptions, SourceSpec } from '../workload/collect.js';
import { findingDefinition, type PlanInput, parsePlanInput } from './inputs.js';
import { liveAdvice, liveDropFindings, readIndexDefinitions } from './live.js';
import {
  dropFindings,
  inputsDialect,
  type MigrationPlan,
  type PlanSelection,
  type PlanStep,
  candidateSteps,
  requireDefinitions,
  selectSteps,
} from './plan.js';
import type { Dialect } from '../sql/dialect.js';
import { parseQualifiedName } from '../sql/read-names.js';
import { checkPlanSql } from './validate.js';

export interface LoadPlanOptions {
  /** advise --json / health --json files ("-" reads stdin). */
  readonly inputFiles: readonly string[];
  readonly selection: PlanSelection;
  /** Forces the dialect; otherwise from the inputs or the database. */
  readonly dialect?: Dialect | null;
  /** Opens the database when needed; null when none was given. */
  readonly database: (() => Promise<Engine>) | null;
  /** For live advice (no input files). */
  readonly live?: { readonly specs: readonly SourceSpec[]; readonly collect?: CollectOptions; readonly advise?: AdviseOptions };
  readonly stdin?: NodeJS.ReadableStream;
}

export interface LoadedPlan {
  readonly plan: MigrationPlan;
  /** Every candidate before --only, numbered from 1 (for --list). */
  readonly candidates: readonly PlanStep[];
}

async function readInput(path: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (path === '-') {
    let text = '';
    for await (const chunk of stdin) text += String(chunk);
    return text;
  }
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read --input ${path}: ${(error as { code?: string }).code === 'ENOENT' ? 'no such file' : String(error)}`);
  }
}

async function liveInputs(engine: Engine, options: LoadPlanOptions): Promise<PlanInput[]> {
  const live = options.live ?? { specs: [] };
  const inputs = [await liveAdvice(engine, live.specs, live.collect ?? {}, live.advise ?? {})];
  const drops = await liveDropFindings(engine, options.selection);
  return drops === null ? inputs : [...inputs, drops];
}

export async function loadPlan(options: LoadPlanOptions): Promise<LoadedPlan> {
  const inputs: PlanInput[] = [];
  for (const path of options.inputFiles)
    inputs.push(parsePlanInput(await readInput(path, options.stdin ?? process.stdin), path === '-' ? 'stdin' : path));
  let engine: Engine | null = null;
  if (inputs.length === 0) {
    if (options.database === null)
      throw new InputError('nothing to plan from: pass --input FILE (advise --json or health --json output), or --db to advise live');
    engine = await options.database();
    inputs.push(...(await liveInputs(engine, options)));
  }
  const engineDialect = engine === null ? null : (await engine.info()).family;
  const dialect = inputsDialect(inputs, options.dialect ?? engineDialect);
  const missing = dropFindings(inputs, options.selection).filter((f) => findingDefinition(f) === null);
  let definitions = new Map<string, string>();
  if (missing.length > 0 && options.database !== null) {
    engine ??= await options.database();
    definitions = await readIndexDefinitions(
      engine,
      missing.map((f) => parseQualifiedName(f.index as string, dialect === 'sqlite' ? 'main' : 'public')),
    );
  }
  const candidates = candidateSteps(inputs, options.selection, { dialect, definitions });
  const plan: MigrationPlan = { dialect, steps: requireDefinitions(selectSteps(candidates, options.selection.only)) };
  await checkPlanSql(plan);
  return { plan, candidates };
}
