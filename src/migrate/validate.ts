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

export async function checkPlanSql(plan: MigrationPlan): Promise<void> {
  const expressions = (step: PlanStep) => (step.kind === 'create' ? step.def.keys.filter((k) => k.expression) : []);
  if (!plan.steps.some((s) => s.kind === 'drop' || s.def.where !== null || expressions(s).length > 0)) return;
  await loadParser();
  for (const step of plan.steps) {
    // in parentheses: a trailing comment or a second statement cannot close them
    if (step.kind === 'create' && step.def.where !== null && !oneStatementOf(`SELECT 1 WHERE (${step.def.where})`, 'SelectStmt')) {
      throw new InputError(`the WHERE of ${step.name} is not one SQL expression: "${step.def.where.slice(0, 80)}"`);
    }
    for (const key of expressions(step)) {
      if (!oneExpression(key.column))
        throw new InputError(`the index key (${key.column.slice(0, 80)}) of ${stepIndex(step).name} is not one SQL expression`);
    }
    if (step.kind === 'drop' && !oneStatementOf(step.definition, 'IndexStmt')) {
      throw new InputError(`the definition of ${step.index.name} is not one CREATE INDEX statement: "${step.definition.slice(0, 80)}"`);
    }
  }
}
