/**
 * A plan read from a file is input: its identifiers are parsed into names already, but a
 * partial index's predicate, an expression key and a dropped index's definition are SQL
 * text. Before they are written into a migration or run, the real parser must read the
 * predicate and each expression as one expression and the definition as one CREATE INDEX,
 * and nothing more.
 */
import { loadParser, parseStatements } from '../analysis/parse.js';
import { InputError } from '../errors.js';
import { type MigrationPlan, type PlanStep, stepIndex } from './plan.js';

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

/** `SELECT (<text>)` parses as one statement with one target: the text is one expression. */
function oneExpression(text: string): boolean {
  try {
    const statements = parseStatements(`SELECT (${text})`);
    const select = statements.length === 1 ? statements[0]?.stmt.SelectStmt : undefined;
    // an index expression cannot hold a sub-select anyway
    const single = select !== undefined && Array.isArray(select.targetList) && select.targetList.length === 1;
    return single && select.fromClause === undefined && !JSON.stringify(select).includes('"SubLink"');
  } catch {
    return false;
  }
}

function checkExpression(name: string, expression: string): void {
  if (!oneExpression(expression)) throw new InputError(`the index key (${expression.slice(0, 80)}) of ${name} is not one SQL expression`);
}

/** The predicates and expression keys of indexes read from a file (verify --trial builds them as written). */
export async function checkPredicates(
  indexes: readonly { readonly name: string; readonly where: string | null; readonly expressions?: readonly string[] }[],
): Promise<void> {
  if (!indexes.some((i) => i.where !== null || (i.expressions?.length ?? 0) > 0)) return;
  await loadParser();
  for (const index of indexes) {
    if (index.where !== null) checkWhere(index.name, index.where);
    for (const expression of index.expressions ?? []) checkExpression(index.name, expression);
  }
}

export async function checkPlanSql(plan: MigrationPlan): Promise<void> {
  const expressions = (step: PlanStep) => (step.kind === 'create' ? step.def.keys.filter((k) => k.expression) : []);
  if (!plan.steps.some((s) => s.kind === 'drop' || s.def.where !== null || expressions(s).length > 0)) return;
  await loadParser();
  for (const step of plan.steps) {
    if (step.kind === 'create' && step.def.where !== null) checkWhere(step.name, step.def.where);
    for (const key of expressions(step)) checkExpression(stepIndex(step).name, key.column);
    if (step.kind === 'drop' && !oneStatementOf(step.definition, 'IndexStmt')) {
      throw new InputError(`the definition of ${step.index.name} is not one CREATE INDEX statement: "${step.definition.slice(0, 80)}"`);
    }
  }
}
