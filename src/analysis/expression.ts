/**
 * Expression keys: an expression of one table's columns that a b-tree can index —
 * `lower(email)`, `payload ->> 'customer_id'`, `created_at::date`, `coalesce(a, b)` — and
 * its SQL as CREATE INDEX must write it for the planner to match the query's expression.
 *
 * libpg-query 18 has no deparser, so a small one here writes back the few node types such
 * expressions are made of (function calls, operators, casts, COALESCE, GREATEST/LEAST,
 * NULLIF, constants, columns). Its text is parsed again and must give the same tree as the
 * query's expression with its columns unqualified; anything else is not offered. Whether
 * the functions and operators are immutable is the database's to say: CREATE INDEX and
 * HypoPG refuse the others with SQLSTATE 42P17, and advise reports those. Pure.
 */
import type { KeyExpression } from '../model/analysis.js';
import { quoteIdent } from '../sql/names.js';
import { columnRefNames, constValue, list, unwrap } from './ast.js';
import { type AstNode, parseStatements, SqlParseError } from './parse.js';
import type { ColumnSource, MutableAccess, Scope } from './scope.js';

/** An expression key found in a query: `column` is its SQL. */
export type ExpressionSource = ColumnSource & { readonly expression: KeyExpression };

/** Node types an index expression is built from; anything else (a sub-select, a $n, an aggregate, CASE, …) is not offered. */
const EXPRESSION_ROOTS = new Set(['FuncCall', 'TypeCast', 'A_Expr', 'CoalesceExpr', 'MinMaxExpr']);

/**
 * The expression key `node` is, when it is an expression (not a bare column) of the
 * columns of one table of this query block, with no parameter, sub-select or outer
 * reference, that deparses to text which parses back to the same tree.
 */
export function expressionKey(node: AstNode | undefined, scope: Scope): ExpressionSource | undefined {
  const [type] = unwrap(node);
  if (type === undefined || !EXPRESSION_ROOTS.has(type)) return undefined;
  const reads: Reads = { columns: new Set(), accesses: new Set() };
  const rewritten = unqualified(node, scope, reads);
  const [access] = reads.accesses;
  if (rewritten === undefined || access === undefined || reads.accesses.size !== 1) return undefined;
  const sql = deparse(rewritten);
  if (sql === undefined || !parsesBackTo(sql, rewritten)) return undefined;
  for (const column of reads.columns) access.columnsRead.add(column);
  return { access, column: sql, expression: { reads: [...reads.columns].sort() } };
}

/** The columns an expression reads, and the table accesses they belong to (one, for a key). */
interface Reads {
  readonly columns: Set<string>;
  readonly accesses: Set<MutableAccess>;
}

/** A copy of the tree with each column reference replaced by its base column's bare name; undefined when one does not resolve here. */
function unqualified(node: unknown, scope: Scope, reads: Reads): AstNode | undefined {
  if (Array.isArray(node)) {
    const items = node.map((item) => unqualified(item, scope, reads));
    return items.every((item) => item !== undefined) ? (items as AstNode) : undefined;
  }
  if (node === null || typeof node !== 'object') return node as AstNode;
  const copy: AstNode = {};
  for (const [key, value] of Object.entries(node as AstNode)) {
    if (key === 'ParamRef' || key === 'SubLink' || key === 'SelectStmt' || key === 'A_Star') return undefined;
    if (key === 'ColumnRef') {
      const resolved = scope.resolve(columnRefNames(value as AstNode));
      if (resolved?.source === null || resolved === undefined || resolved.outer) return undefined;
      reads.columns.add(resolved.source.column);
      reads.accesses.add(resolved.source.access);
      copy[key] = { fields: [{ String: { sval: resolved.source.column } }] };
      continue;
    }
    const inner = unqualified(value, scope, reads);
    if (inner === undefined && value !== undefined) return undefined;
    copy[key] = inner;
  }
  return copy;
}

/** Parses `SELECT <sql>` and compares its one target with `expected`, locations and display forms aside. */
function parsesBackTo(sql: string, expected: AstNode): boolean {
  try {
    const [statement] = parseStatements(`SELECT ${sql}`);
    const target = list(unwrap(statement?.stmt)[1]?.targetList);
    if (target.length !== 1) return false;
    return JSON.stringify(comparable(unwrap(target[0])[1]?.val)) === JSON.stringify(comparable(expected));
  } catch (error) {
    if (error instanceof SqlParseError) return false;
    throw error;
  }
}

/** Locations differ, and a call written `extract(day FROM x)` or `pg_catalog.extract('day', x)` is the same call. */
const IGNORED_FIELDS = new Set(['location', 'funcformat']);

function comparable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(comparable);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node as AstNode).filter(([key]) => !IGNORED_FIELDS.has(key));
  return Object.fromEntries(entries.map(([key, value]) => [key, comparable(value)]).sort(([a], [b]) => String(a).localeCompare(String(b))));
}

/** The SQL of an expression built from the node types above, or undefined for any other. */
export function deparse(node: AstNode | undefined): string | undefined {
  const [type, body] = unwrap(node);
  switch (type) {
    case 'ColumnRef':
      return columnRefNames(body).map(quoteIdent).join('.');
    case 'A_Const':
      return body.bsval === undefined ? constValue(body).sql : undefined;
    case 'TypeCast': {
      const arg = deparse(body.arg);
      const target = typeSql(body.typeName);
      return arg === undefined || target === undefined ? undefined : `${operand(body.arg, arg)}::${target}`;
    }
    case 'FuncCall':
      return callSql(body);
    case 'A_Expr':
      return operatorSql(body);
    case 'CoalesceExpr':
      return listCall('coalesce', body.args);
    case 'MinMaxExpr':
      return listCall(body.op === 'IS_GREATEST' ? 'greatest' : 'least', body.args);
    default:
      return undefined;
  }
}

/** An operand of `::` or of an operator: parenthesized unless it is a column, a call or a non-negative constant. */
function operand(node: AstNode, sql: string): string {
  const type = unwrap(node)[0];
  const bare = type === 'ColumnRef' || type === 'FuncCall' || type === 'CoalesceExpr' || type === 'MinMaxExpr';
  return bare || (type === 'A_Const' && !sql.startsWith('-')) ? sql : `(${sql})`;
}

function listCall(name: string, args: unknown): string | undefined {
  const parts = list(args).map(deparse);
  return parts.every((p) => p !== undefined) ? `${name}(${parts.join(', ')})` : undefined;
}

function callSql(body: AstNode): string | undefined {
  if (body.agg_order || body.agg_filter || body.over || body.agg_star || body.agg_distinct || body.func_variadic) return undefined;
  const name = list(body.funcname)
    .map((n) => quoteIdent(String(unwrap(n)[1]?.sval ?? '')))
    .join('.');
  return listCall(name, body.args);
}

function operatorSql(body: AstNode): string | undefined {
  const names = list(body.name).map((n) => String(unwrap(n)[1]?.sval ?? ''));
  const [op] = names;
  if (op === undefined || names.length !== 1) return undefined;
  if (body.kind === 'AEXPR_NULLIF') return listCall('nullif', [body.lexpr, body.rexpr]);
  if (body.kind !== 'AEXPR_OP') return undefined;
  const right = deparse(body.rexpr);
  if (right === undefined) return undefined;
  if (body.lexpr === undefined) return `${op} ${operand(body.rexpr, right)}`;
  const left = deparse(body.lexpr);
  return left === undefined ? undefined : `${operand(body.lexpr, left)} ${op} ${operand(body.rexpr, right)}`;
}

/** SQL spellings of pg_catalog types the grammar names by keyword (`::integer` is pg_catalog.int4). */
const KEYWORD_TYPES: Readonly<Record<string, string>> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  numeric: 'numeric',
  varchar: 'varchar',
  timestamp: 'timestamp',
  timestamptz: 'timestamp with time zone',
  time: 'time',
  timetz: 'time with time zone',
};

function typeSql(typeName: AstNode | undefined): string | undefined {
  if (typeName === undefined || typeName.setof || typeName.pct_type) return undefined;
  const names = list(typeName.names).map((n) => String(unwrap(n)[1]?.sval ?? ''));
  const mods = list(typeName.typmods).map((m) => (unwrap(m)[0] === 'A_Const' ? deparse(m) : undefined));
  if (mods.some((m) => m === undefined)) return undefined;
  const keyword = names.length === 2 && names[0] === 'pg_catalog' && mods.length === 0 ? KEYWORD_TYPES[names[1] ?? ''] : undefined;
  const base = keyword ?? names.map(quoteIdent).join('.') + (mods.length > 0 ? `(${mods.join(', ')})` : '');
  return (
    base +
    list(typeName.arrayBounds)
      .map(() => '[]')
      .join('')
  );
}
