/**
 * WHERE / ON / HAVING conditions → filters and join keys on the tables they touch.
 * Top-level AND conjuncts become a table's filters; OR branches become OR groups.
 */
import type { Filter, FilterKind, OperandKind } from '../model/analysis.js';
import { quoteIdent } from '../sql/names.js';
import { list, operatorName, unwrap } from './ast.js';
import { expressionKey } from './expression.js';
import { isCurrentColumn, isValue, listItems, type Operand, operandOf, readColumns } from './operands.js';
import type { AstNode } from './parse.js';
import type { AnalysisContext, ColumnSource, MutableAccess, Scope } from './scope.js';
import { analyzeSubLink } from './select-block.js';

/** Where filters go: the tables' AND-ed filters, or one branch of an OR. */
type Sink = (access: MutableAccess, filter: Filter) => void;

const topLevel: Sink = (access, filter) => {
  access.filters.push(filter);
};

export function classifyCondition(node: AstNode | undefined, scope: Scope, ctx: AnalysisContext, sink: Sink = topLevel): void {
  const [type, body] = unwrap(node);
  if (type === undefined) return;
  if (type === 'BoolExpr') return classifyBool(body, scope, ctx, sink);
  if (type === 'A_Expr') return classifyComparison(body, scope, ctx, sink);
  if (type === 'NullTest') return classifyNullTest(body, scope, ctx, sink);
  if (type === 'SubLink') return classifySubLink(body, scope, ctx, sink);
  if (type === 'ColumnRef') {
    // WHERE active: a boolean column compared with true
    const operand = operandOf(node as AstNode, scope, ctx);
    if (isCurrentColumn(operand)) return addFilter(ctx, sink, operand.source, 'equality', '=', CONSTANT, quoteIdent(operand.source.column));
  }
  readColumns(node, scope, ctx);
}

function classifyBool(body: AstNode, scope: Scope, ctx: AnalysisContext, sink: Sink): void {
  const args = list(body.args);
  if (body.boolop === 'AND_EXPR') {
    for (const arg of args) classifyCondition(arg, scope, ctx, sink);
    return;
  }
  if (body.boolop === 'NOT_EXPR') {
    const operand = args.length === 1 && unwrap(args[0])[0] === 'ColumnRef' ? operandOf(args[0] as AstNode, scope, ctx) : null;
    if (operand && isCurrentColumn(operand)) {
      addFilter(ctx, sink, operand.source, 'equality', '=', CONSTANT, `NOT ${quoteIdent(operand.source.column)}`);
    } else readColumns(args, scope, ctx);
    return;
  }
  // OR: each branch collects its own filters; a table gets an OR group when every branch filters it.
  const branches = args.map((arg) => {
    const found = new Map<MutableAccess, Filter[]>();
    classifyCondition(arg, scope, ctx, (access, filter) => found.set(access, [...(found.get(access) ?? []), filter]));
    return found;
  });
  const accesses = new Set(branches.flatMap((b) => [...b.keys()]));
  for (const access of accesses) {
    if (branches.every((b) => b.has(access))) access.orGroups.push(branches.map((b) => b.get(access) ?? []));
  }
}

const RANGE_OPERATORS = new Set(['<', '<=', '>', '>=']);
const FLIPPED: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function classifyComparison(body: AstNode, scope: Scope, ctx: AnalysisContext, sink: Sink): void {
  const op = operatorName(body);
  switch (body.kind) {
    case 'AEXPR_OP':
      if (unwrap(body.lexpr)[0] === 'RowExpr' && unwrap(body.rexpr)[0] === 'RowExpr') return classifyRows(body, op, scope, ctx, sink);
      return classifyBinary(body, op, scope, ctx, sink);
    case 'AEXPR_OP_ANY':
    case 'AEXPR_IN':
      return classifyIn(body, op, scope, ctx, sink);
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
      return classifyLike(body, op, scope, ctx, sink);
    case 'AEXPR_BETWEEN':
    case 'AEXPR_BETWEEN_SYM': {
      const left = operandOf(body.lexpr, scope, ctx);
      const column = keyOf(left, body.lexpr, scope);
      const bounds = list(unwrap(body.rexpr)[1]?.items).map((b) => operandOf(b, scope, ctx));
      if (column !== undefined && bounds.every(isValue))
        return addFilter(ctx, sink, column, 'range', 'BETWEEN', valuesOf(bounds), undefined, betweenCollation(left, bounds));
      break;
    }
  }
  readColumns([body.lexpr, body.rexpr], scope, ctx);
}

/**
 * `x BETWEEN lo AND hi` is `x >= lo AND x <= hi`, each comparing with the left operand's
 * explicit collation first, then the bound's: one collation serves both only when x names
 * it, or both bounds name the same one.
 */
function betweenCollation(left: Operand, bounds: readonly Operand[]): string | undefined {
  if (left.collation !== undefined) return left.collation;
  const named = new Set(bounds.map((b) => b.collation));
  return named.size === 1 ? [...named][0] : undefined;
}

function classifyBinary(body: AstNode, op: string, scope: Scope, ctx: AnalysisContext, sink: Sink): void {
  const left = operandOf(body.lexpr, scope, ctx);
  const right = operandOf(body.rexpr, scope, ctx);
  if (left.kind === 'column' && right.kind === 'column' && left.source && right.source) {
    if (left.source.access === right.source.access) return;
    if (!left.outer && !right.outer && op === '=') return join(ctx, left.source, right.source);
  }
  // SQLite compares with the left operand's explicit collation first, then the right one's
  const collation = left.collation ?? right.collation;
  if (isCurrentColumn(left) && isValue(right)) return compare(ctx, sink, left.source, op, right, collation);
  if (isCurrentColumn(right) && isValue(left)) return compare(ctx, sink, right.source, FLIPPED[op] ?? op, left, collation);
  // an expression of one table's columns: `lower(email) = $1`, `lower(a.email) = lower(b.email)`
  const leftKey = keyOf(left, body.lexpr, scope);
  const rightKey = keyOf(right, body.rexpr, scope);
  if (op === '=' && leftKey !== undefined && rightKey !== undefined && leftKey.access !== rightKey.access) {
    if (left.kind === 'expression' || right.kind === 'expression') return join(ctx, leftKey, rightKey);
  }
  if (leftKey?.expression && isValue(right)) return compare(ctx, sink, leftKey, op, right, collation);
  if (rightKey?.expression && isValue(left)) return compare(ctx, sink, rightKey, FLIPPED[op] ?? op, left, collation);
  for (const side of [left, right]) {
    if (side.kind === 'expression' && side.columns.length > 0 && isValue(side === left ? right : left)) {
      for (const column of side.columns) ctx.use(column, 'expression', side.detail);
      ctx.notes.add(`${side.detail} is compared: only an index on that expression can serve it`);
    }
  }
}

/** The key a side of a comparison gives an index: a column of this block, or an expression of one table's columns. */
function keyOf(side: Operand, node: AstNode, scope: Scope): ColumnSource | undefined {
  if (isCurrentColumn(side)) return side.source;
  if (side.kind !== 'expression' || side.columns.length === 0) return undefined;
  return expressionKey(node, scope);
}

/** Where an expression key is compared or joined on: only an index on that expression can serve it. */
function noteExpression(ctx: AnalysisContext, key: ColumnSource): void {
  if (key.expression) ctx.notes.add(`${key.column} is compared: only an index on that expression can serve it`);
}

function compare(ctx: AnalysisContext, sink: Sink, column: ColumnSource, op: string, value: Operand, collation?: string): void {
  const kind: FilterKind =
    op === '=' ? 'equality' : RANGE_OPERATORS.has(op) ? 'range' : op === '<>' || op === '!=' ? 'inequality' : 'pattern';
  // partial indexes are offered on constant predicates of columns only
  const constantSql =
    kind === 'equality' && value.kind === 'constant' && value.constant && column.expression === undefined
      ? `${quoteIdent(column.column)} = ${value.sql}`
      : undefined;
  if (value.kind === 'column' && value.source) join(ctx, column, value.source);
  addFilter(ctx, sink, column, kind, op, valuesOf([value]), constantSql, collation);
}

function join(ctx: AnalysisContext, a: ColumnSource, b: ColumnSource): void {
  const key = (s: ColumnSource) => ({ column: s.column, ...(s.expression === undefined ? {} : { expression: s.expression }) });
  a.access.joins.push({ ...key(a), other: { table: b.access.table, column: b.column } });
  b.access.joins.push({ ...key(b), other: { table: a.access.table, column: a.column } });
  ctx.use(a, 'join');
  ctx.use(b, 'join');
  noteExpression(ctx, a);
  noteExpression(ctx, b);
}

function classifyRows(body: AstNode, op: string, scope: Scope, ctx: AnalysisContext, sink: Sink): void {
  const lefts = list(unwrap(body.lexpr)[1]?.args).map((n) => operandOf(n, scope, ctx));
  const rights = list(unwrap(body.rexpr)[1]?.args).map((n) => operandOf(n, scope, ctx));
  const kind: FilterKind = op === '=' ? 'equality' : RANGE_OPERATORS.has(op) ? 'range' : 'inequality';
  lefts.forEach((left, i) => {
    const right = rights[i];
    if (right && isCurrentColumn(left) && isValue(right)) addFilter(ctx, sink, left.source, kind, `(row) ${op}`, valuesOf([right]));
  });
}

function classifyIn(body: AstNode, op: string, scope: Scope, ctx: AnalysisContext, sink: Sink): void {
  const values = listItems(body.rexpr).map((v) => operandOf(v, scope, ctx));
  const column = values.every(isValue) ? keyOf(operandOf(body.lexpr, scope, ctx), body.lexpr, scope) : undefined;
  if (column === undefined) {
    readColumns([body.lexpr, body.rexpr], scope, ctx);
    return;
  }
  const operator = body.kind === 'AEXPR_IN' ? (op === '=' ? 'IN' : 'NOT IN') : `${op} ANY`;
  if (op !== '=') return addFilter(ctx, sink, column, 'inequality', operator, valuesOf(values));
  const allConstant = values.every((v) => v.kind === 'constant' && v.constant);
  const constantSql =
    allConstant && body.kind === 'AEXPR_IN' && column.expression === undefined
      ? `${quoteIdent(column.column)} IN (${values.map((v) => (v as { sql: string }).sql).join(', ')})`
      : undefined;
  addFilter(ctx, sink, column, 'equality', operator, valuesOf(values), constantSql);
}

function classifyLike(body: AstNode, op: string, scope: Scope, ctx: AnalysisContext, sink: Sink): void {
  const column = operandOf(body.lexpr, scope, ctx);
  const pattern = operandOf(body.rexpr, scope, ctx);
  if (!isCurrentColumn(column) || !isValue(pattern)) {
    readColumns([body.lexpr, body.rexpr], scope, ctx);
    return;
  }
  const negated = op.startsWith('!');
  const caseInsensitive = body.kind === 'AEXPR_ILIKE';
  const operator = `${negated ? 'NOT ' : ''}${caseInsensitive ? 'ILIKE' : 'LIKE'}`;
  if (negated) return addFilter(ctx, sink, column.source, 'inequality', operator, valuesOf([pattern]));
  if (pattern.kind === 'constant' && pattern.text !== undefined) {
    const prefix = !caseInsensitive && pattern.text.length > 0 && !/^[%_]/.test(pattern.text);
    if (!prefix) ctx.notes.add(`${column.source.column} ${operator} '${pattern.text}' cannot use a b-tree index (a trigram index could)`);
    return addFilter(ctx, sink, column.source, prefix ? 'prefix' : 'infix', operator, CONSTANT);
  }
  addFilter(ctx, sink, column.source, 'pattern', operator, valuesOf([pattern]));
}

function classifyNullTest(body: AstNode, scope: Scope, ctx: AnalysisContext, sink: Sink): void {
  const column = operandOf(body.arg, scope, ctx);
  if (!isCurrentColumn(column)) return void readColumns(body.arg, scope, ctx);
  const isNull = body.nulltesttype === 'IS_NULL';
  const sql = `${quoteIdent(column.source.column)} ${isNull ? 'IS NULL' : 'IS NOT NULL'}`;
  addFilter(ctx, sink, column.source, isNull ? 'null' : 'not-null', isNull ? 'IS NULL' : 'IS NOT NULL', CONSTANT, sql);
}

/** `x IN (SELECT y …)` is a semi-join on x = y; EXISTS is analyzed as its own block. */
function classifySubLink(body: AstNode, scope: Scope, ctx: AnalysisContext, sink: Sink): void {
  const result = analyzeSubLink(body, scope, ctx);
  if (body.subLinkType !== 'ANY_SUBLINK' || body.testexpr === undefined) return;
  const tested = listItems(unwrap(body.testexpr)[0] === 'RowExpr' ? { List: { items: unwrap(body.testexpr)[1]?.args } } : body.testexpr);
  tested.forEach((node, i) => {
    const column = operandOf(node, scope, ctx);
    if (!isCurrentColumn(column)) return;
    const inner = result?.outputs[i];
    if (inner) join(ctx, column.source, inner);
    addFilter(ctx, sink, column.source, 'equality', 'IN (sub-select)', EXPRESSION);
  });
}

interface Values {
  readonly operand: OperandKind;
  /** The $n placeholders among the values, in order. */
  readonly params: readonly number[];
}

const CONSTANT: Values = { operand: 'constant', params: [] };
const EXPRESSION: Values = { operand: 'expression', params: [] };

function valuesOf(values: readonly Operand[]): Values {
  const params = values.flatMap((v) => (v.kind === 'param' ? [v.number] : []));
  if (values.every((v) => v.kind === 'constant' && v.constant)) return { operand: 'constant', params };
  if (values.some((v) => v.kind === 'column')) return { operand: 'outer', params };
  if (values.every((v) => v.kind === 'param' || v.kind === 'constant')) return { operand: 'param', params };
  return { operand: 'expression', params };
}

const ROLE_OF: Record<FilterKind, 'equality' | 'range' | 'prefix' | 'null' | 'infix' | null> = {
  equality: 'equality',
  range: 'range',
  prefix: 'prefix',
  null: 'null',
  'not-null': 'null',
  infix: 'infix',
  pattern: 'infix',
  inequality: null,
};

function addFilter(
  ctx: AnalysisContext,
  sink: Sink,
  column: ColumnSource,
  kind: FilterKind,
  operator: string,
  values: Values,
  constantSql?: string,
  collation?: string,
): void {
  const role = ROLE_OF[kind];
  noteExpression(ctx, column);
  if (role !== null) ctx.use(column, role, operator);
  else for (const read of column.expression?.reads ?? [column.column]) column.access.columnsRead.add(read);
  sink(column.access, {
    column: column.column,
    ...(column.expression === undefined ? {} : { expression: column.expression }),
    kind,
    operator,
    operand: values.operand,
    ...(values.params.length > 0 ? { params: values.params } : {}),
    ...(constantSql === undefined ? {} : { constantSql }),
    ...(collation === undefined ? {} : { collation }),
  });
}
