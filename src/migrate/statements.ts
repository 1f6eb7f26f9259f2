/**
 * A plan as SQL statements, up and down, for one dialect. The formats wrap these in
 * their tools' files; `apply --dry-run` prints them. Pure.
 */
import { extensionsFor, METHOD_NAMES } from '../model/index-def.js';
import { createExtensionSql, createIndexSql, dropIndexSql, isPartitionedDefinition, recreateIndexSql } from '../sql/ddl.js';
import type { Dialect } from '../sql/dialect.js';
import type { CreateStep, MigrationPlan, PlanStep } from './plan.js';

export interface StatementOptions {
  /** CONCURRENTLY on PostgreSQL (the statements must then run outside a transaction). */
  readonly concurrently: boolean;
}

export interface StepSql {
  readonly step: PlanStep;
  /** One statement each, without a trailing semicolon. */
  readonly up: string;
  readonly down: string;
}

/**
 * A partitioned table's index cannot be built or dropped CONCURRENTLY in one statement:
 * a create step advise marked partitioned, or a drop whose definition is ON ONLY.
 */
export function onPartitionedTable(step: PlanStep): boolean {
  return step.kind === 'create' ? step.partitioned === true : isPartitionedDefinition(step.definition);
}

export function stepSql(step: PlanStep, dialect: Dialect, options: StatementOptions): StepSql {
  const concurrently = options.concurrently && dialect === 'postgres' && !onPartitionedTable(step);
  if (step.kind === 'create') {
    return {
      step,
      up: createIndexSql(step.def, { name: step.name, concurrently, ifNotExists: true, dialect, unique: step.unique }),
      down: dropIndexSql({ schema: step.def.table.schema, name: step.name }, { concurrently, ifExists: true, dialect }),
    };
  }
  return {
    step,
    up: dropIndexSql(step.index, { concurrently, ifExists: true, dialect }),
    down: recreateIndexSql(step.definition, { concurrently, ifNotExists: true, dialect }),
  };
}

/** An extension the plan's new indexes need, created before them (PostgreSQL). */
export interface ExtensionStep {
  readonly name: string;
  /** CREATE EXTENSION IF NOT EXISTS …, without a trailing semicolon. */
  readonly sql: string;
  /** Why, for the migration's comment (without a comment marker). */
  readonly reason: string;
}

/**
 * The extensions the plan's create steps need (pg_trgm for a trigram index), in order of
 * first need: the up migration runs them before any index. The down migration leaves them
 * installed: by then other objects may use them, and dropping one drops those too.
 */
export function extensionSteps(plan: MigrationPlan): ExtensionStep[] {
  if (plan.dialect !== 'postgres') return [];
  const needs = new Map<string, string[]>();
  for (const step of plan.steps)
    if (step.kind === 'create') for (const name of extensionsFor(step.def)) needs.set(name, [...(needs.get(name) ?? []), step.name]);
  return [...needs].map(([name, indexes]) => ({
    name,
    sql: createExtensionSql(name),
    reason: `extension ${name}, needed by ${indexes.join(', ')} (the down migration leaves it installed)`,
  }));
}

/** Up in plan order; down in reverse order (dropped indexes come back before the new ones go). */
export function planSql(plan: MigrationPlan, options: StatementOptions): { up: string[]; down: string[]; steps: StepSql[] } {
  const steps = plan.steps.map((s) => stepSql(s, plan.dialect, options));
  return { up: steps.map((s) => s.up), down: [...steps].reverse().map((s) => s.down), steps };
}

const PARTITIONED_NOTE =
  'partitioned table: no CONCURRENTLY (it blocks writes while it runs; indexwise apply builds it one partition at a time instead)';

/** A comment line describing a step: `-- create: saves 12% …` / `-- drop (unused-index): …`. */
export function stepComment(step: PlanStep, prefix = '--'): string {
  const what = step.kind === 'create' ? `create${methodNote(step)}: ${step.reason}` : `drop (${step.check}): ${step.reason}`;
  const partitioned = onPartitionedTable(step) ? `; ${PARTITIONED_NOTE}` : '';
  return `${prefix} ${what.replace(/[\r\n]+/g, ' ')}${partitioned}`;
}

const methodNote = (step: CreateStep) => (step.def.method === 'btree' ? '' : ` (${METHOD_NAMES[step.def.method]})`);

/** Statements as a script: one per line, `;`-terminated, each after its comment. */
export function sqlScript(statements: readonly string[], comments: readonly string[] = []): string {
  return statements.map((s, i) => `${comments[i] ? `${comments[i]}\n` : ''}${s};`).join('\n\n');
}
