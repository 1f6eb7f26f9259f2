/**
 * A plan read from a file is input: its identifiers are parsed into names already, but a
 * partial index's predicate and a dropped index's definition are SQL text. Before they
 * are written into a migration or run, the real parser must read the predicate as one
 * expression and the definition as one CREATE INDEX, and nothing more.
 */
import { loadParser, parseStatements } from '../analysis/parse.js';
import { InputError } from '../errors.js';
import type { MigrationPlan } from './plan.js';

function oneStatementOf(sql: string, kind: string): boolean {
  try {
    const statements = parseStatements(sql);
    return statements.length === 1 && kind in (statements[0]?.stmt ?? {});
  } catch {
    return false;
  }
}

/** A partial index's predicate must be one expression (the parser must be loaded). */
function checkWhere(name: string, where: string): void {
  // in parentheses: a trailing comment or a second statement cannot close them
  if (!oneStatementOf(`SELECT 1 WHERE (${where})`, 'SelectStmt'))
    throw new InputError(`the WHERE of ${name} is not one SQL expression: "${where.slice(0, 80)}"`);
}

/** The predicates of indexes read from a file (verify --trial builds them as written). */
export async function checkPredicates(indexes: readonly { readonly name: string; readonly where: string | null }[]): Promise<void> {
  if (!indexes.some((i) => i.where !== null)) return;
  await loadParser();
  for (const index of indexes) if (index.where !== null) checkWhere(index.name, index.where);
}

export async function checkPlanSql(plan: MigrationPlan): Promise<void> {
  if (!plan.steps.some((s) => s.kind === 'drop' || s.def.where !== null)) return;
  await loadParser();
  for (const step of plan.steps) {
    if (step.kind === 'create' && step.def.where !== null) checkWhere(step.name, step.def.where);
    if (step.kind === 'drop' && !oneStatementOf(step.definition, 'IndexStmt')) {
      throw new InputError(`the definition of ${step.index.name} is not one CREATE INDEX statement: "${step.definition.slice(0, 80)}"`);
    }
  }
}
