/**
 * The migration plan: which indexes to create and which to drop, built from advise
 * recommendations and health findings. Every format in formats/ and `apply` read it.
 * Pure: the caller reads the files and the database.
 */
import { InputError } from '../errors.js';
import { type QualifiedName, qualifiedKey } from '../model/catalog.js';
import type { Finding } from '../model/finding.js';
import type { IndexDef } from '../model/index-def.js';
import type { AdviceReport } from '../model/recommendation.js';
import { indexName } from '../sql/ddl.js';
import type { Dialect } from '../sql/dialect.js';
import { formatQualified } from '../sql/names.js';
import { parseIdentifier, parseKeyColumn, parseQualifiedName } from '../sql/read-names.js';
import { findingDefinition, type PlanInput, type RecommendationInput } from './inputs.js';

export interface CreateStep {
  readonly kind: 'create';
  /** Deterministic, from indexName(def). */
  readonly name: string;
  readonly def: IndexDef;
  readonly unique: boolean;
  readonly reason: string;
  /**
   * On a partitioned table: no CONCURRENTLY (PostgreSQL cannot build a partitioned
   * index concurrently in one statement); `apply` builds it partition by partition.
   */
  readonly partitioned?: boolean;
}

export interface DropStep {
  readonly kind: 'drop';
  readonly index: QualifiedName;
  readonly table: QualifiedName | null;
  /** The exact definition (pg_get_indexdef): the down migration builds it again. */
  readonly definition: string;
  /** The health check that found it. */
  readonly check: string;
  readonly reason: string;
}

export type PlanStep = CreateStep | DropStep;

export interface MigrationPlan {
  readonly dialect: Dialect;
  /** Creations first, then drops: a replacement exists before an index goes. */
  readonly steps: readonly PlanStep[];
}

export interface PlanSelection {
  /** Index names or 1-based positions in the candidate list (creations, then drops). */
  readonly only?: readonly string[] | null;
  /** Include unused-index findings. */
  readonly dropUnused?: boolean;
  /** Include duplicate-index and redundant-index findings. */
  readonly dropDuplicates?: boolean;
}

export const DROP_CHECKS = { unused: ['unused-index', 'unused-by-workload'], duplicates: ['duplicate-index', 'redundant-index'] } as const;

/** A step's index as `schema.name`. */
export function stepIndex(step: PlanStep): QualifiedName {
  return step.kind === 'create' ? { schema: step.def.table.schema, name: step.name } : step.index;
}

export function stepTable(step: PlanStep): QualifiedName | null {
  return step.kind === 'create' ? step.def.table : step.table;
}

export function createStepFromRecommendation(rec: RecommendationInput, dialect: Dialect): CreateStep {
  const def: IndexDef = {
    table: parseQualifiedName(rec.table, dialect === 'sqlite' ? 'main' : 'public'),
    keys: rec.columns.map(parseKeyColumn),
    include: rec.include.map(parseIdentifier),
    where: rec.where,
    method: rec.method,
    unique: false,
  };
  return {
    kind: 'create',
    name: indexName(def),
    def,
    unique: false,
    reason: rec.reason,
    ...(rec.partitioned ? { partitioned: true } : {}),
  };
}

/**
 * The drop findings the selection asks for, in input order. An `info` finding is no
 * verdict (unused-index on statistics too young to judge): never dropped.
 */
export function dropFindings(inputs: readonly PlanInput[], selection: PlanSelection): Finding[] {
  const checks = new Set<string>([
    ...(selection.dropUnused ? DROP_CHECKS.unused : []),
    ...(selection.dropDuplicates ? DROP_CHECKS.duplicates : []),
  ]);
  return inputs.flatMap((input) => input.findings).filter((f) => checks.has(f.check) && f.index !== null && f.severity !== 'info');
}

function dropStepFromFinding(finding: Finding, definitions: ReadonlyMap<string, string>, dialect: Dialect): DropStep {
  const index = parseQualifiedName(finding.index as string, dialect === 'sqlite' ? 'main' : 'public');
  // '' when unknown: refused by buildPlan if the step is chosen (see requireDefinitions)
  const definition = findingDefinition(finding) ?? definitions.get(formatQualified(index)) ?? '';
  const table = finding.table === null ? null : parseQualifiedName(finding.table, index.schema);
  return { kind: 'drop', index, table, definition, check: finding.check, reason: finding.message };
}

export interface BuildPlanOptions {
  readonly dialect: Dialect;
  /** Definitions of drop candidates whose findings carry none, by `schema.index` (formatQualified). */
  readonly definitions?: ReadonlyMap<string, string>;
}

/** Every candidate step, numbered from 1: creations (without repeats), then drops. */
export function candidateSteps(inputs: readonly PlanInput[], selection: PlanSelection, options: BuildPlanOptions): PlanStep[] {
  const creates = new Map<string, CreateStep>();
  for (const rec of inputs.flatMap((i) => i.recommendations)) {
    const step = createStepFromRecommendation(rec, options.dialect);
    const key = formatQualified(stepIndex(step));
    if (!creates.has(key)) creates.set(key, step);
  }
  const drops = new Map<string, DropStep>();
  for (const finding of dropFindings(inputs, selection)) {
    const step = dropStepFromFinding(finding, options.definitions ?? new Map(), options.dialect);
    const key = formatQualified(step.index);
    if (!drops.has(key) && !creates.has(key)) drops.set(key, step);
  }
  return [...creates.values(), ...drops.values()];
}

/** Keeps the steps `--only` names, by position or by index name (bare or schema-qualified). */
export function selectSteps(steps: readonly PlanStep[], only: readonly string[] | null | undefined): PlanStep[] {
  if (only === undefined || only === null || only.length === 0) return [...steps];
  const chosen = new Set<number>();
  for (const wanted of only) {
    const position = /^\d+$/.test(wanted) ? Number(wanted) : null;
    const matches =
      position !== null
        ? position >= 1 && position <= steps.length
          ? [position - 1]
          : []
        : steps.flatMap((s, i) => (matchesName(s, wanted) ? [i] : []));
    if (matches.length === 0) {
      throw new InputError(
        `--only ${wanted}: no such ${position !== null ? `position (there are ${steps.length} candidates)` : 'index among the candidates'}`,
      );
    }
    for (const i of matches) chosen.add(i);
  }
  return steps.filter((_, i) => chosen.has(i));
}

function matchesName(step: PlanStep, wanted: string): boolean {
  const index = stepIndex(step);
  return wanted === index.name || wanted === formatQualified(index) || wanted === qualifiedKey(index);
}

/** A drop must know the definition it removes, or its down migration could not rebuild it. */
export function requireDefinitions(steps: readonly PlanStep[]): PlanStep[] {
  const missing = steps.find((s) => s.kind === 'drop' && s.definition === '');
  if (missing?.kind === 'drop') {
    throw new InputError(
      `the ${missing.check} finding for ${formatQualified(missing.index)} carries no index definition: pass --db so it can be read from the database`,
    );
  }
  return [...steps];
}

export function buildPlan(inputs: readonly PlanInput[], selection: PlanSelection, options: BuildPlanOptions): MigrationPlan {
  const steps = requireDefinitions(selectSteps(candidateSteps(inputs, selection, options), selection.only));
  return { dialect: options.dialect, steps };
}

/** The dialect the inputs say, or `fallback`; inputs that disagree are an error. */
export function inputsDialect(inputs: readonly PlanInput[], fallback: Dialect | null): Dialect {
  const found = new Set(inputs.map((i) => i.dialect).filter((d): d is Dialect => d !== null));
  if (fallback !== null) return fallback;
  if (found.size > 1) throw new InputError('the inputs come from PostgreSQL and SQLite: give them to separate runs, or pass --dialect');
  return [...found][0] ?? 'postgres';
}

/** The whole advice as a plan: its recommendations built, then the indexes they make redundant dropped. */
export function planFromAdvice(advice: AdviceReport, dialect: Dialect, reason = 'indexwise advise'): MigrationPlan {
  return {
    dialect,
    steps: [
      ...advice.recommendations.map((r): CreateStep => ({ kind: 'create', name: r.name, def: r.index, unique: false, reason })),
      ...advice.replaces.map((f): DropStep => ({
        kind: 'drop',
        index: parseQualifiedName(f.index ?? ''),
        table: f.table === null ? null : parseQualifiedName(f.table),
        definition: String(f.evidence.definition),
        check: f.check,
        reason: f.message,
      })),
    ],
  };
}
