/**
 * One SELECT block: its FROM items become scope entries (tables, subqueries, CTEs,
 * views), then WHERE/ON, GROUP BY, the target list, DISTINCT, ORDER BY and LIMIT are
 * read against that scope.
 */
import { columnRefNames, constValue, containsNode, list, operatorName, paramNumber, typeOf, unwrap } from './ast.js';
import { classifyCondition } from './conditions.js';
import { expressionKey } from './expression.js';
import { addFromItem } from './from-items.js';
import { isCurrentColumn, isValue, markStar, operandOf, readColumns, withoutCollate } from './operands.js';
import type { AstNode } from './parse.js';
import { type AnalysisContext, type ColumnSource, type CteDefinition, type MutableAccess, Scope } from './scope.js';

export interface BlockResult {
  readonly names: readonly string[];
  /** Per output column: the base column it passes through, if any. */
  readonly outputs: readonly (ColumnSource | null)[];
  /** No aggregation, DISTINCT, LIMIT, window or set operation: outer conditions may be pushed into it. */
  readonly simple: boolean;
}

export function analyzeSubLink(subLink: AstNode, scope: Scope, ctx: AnalysisContext): BlockResult | undefined {
  if (subLink.testexpr !== undefined && subLink.subLinkType !== 'ANY_SUBLINK') readColumns(subLink.testexpr, scope, ctx);
  const [type, body] = unwrap(subLink.subselect);
  return type === 'SelectStmt' ? analyzeBlock(body, scope, ctx) : undefined;
}

export function analyzeBlock(stmt: AstNode, parent: Scope | null, ctx: AnalysisContext): BlockResult {
  if (stmt.op !== undefined && stmt.op !== 'SETOP_NONE') {
    const scope = withCtes(stmt, parent, ctx);
    const left = analyzeBlock(stmt.larg, scope, ctx);
    analyzeBlock(stmt.rarg, scope, ctx);
    return { names: left.names, outputs: left.names.map(() => null), simple: false };
  }
  const scope = withCtes(stmt, parent, ctx);
  if (stmt.valuesLists !== undefined) {
    readColumns(stmt.valuesLists, scope, ctx);
    return { names: [], outputs: [], simple: false };
  }
  const before = ctx.accesses.length;
  const joinConditions: AstNode[] = [];
  for (const item of list(stmt.fromClause)) addFromItem(item, scope, ctx, joinConditions);
  classifyCondition(stmt.whereClause, scope, ctx);
  for (const condition of joinConditions) classifyCondition(condition, scope, ctx);
  const targets = readTargets(stmt, scope, ctx);
  readGrouping(stmt, scope, ctx, targets);
  readOrderBy(stmt, scope, ctx, targets);
  if (stmt.havingClause !== undefined) readColumns(stmt.havingClause, scope, ctx);
  const limited = stmt.limitCount !== undefined || stmt.limitOffset !== undefined;
  if (stmt.limitCount !== undefined) for (const access of ctx.accesses.slice(before)) access.limited = true;
  for (const node of [stmt.limitCount, stmt.limitOffset]) {
    const param = paramNumber(node);
    if (param !== undefined) ctx.limitParams.push(param);
  }
  readColumns([stmt.limitCount, stmt.limitOffset, stmt.windowClause], scope, ctx);
  const aggregated = list(stmt.groupClause).length > 0 || stmt.havingClause !== undefined || hasAggregate(stmt.targetList);
  const simple = !limited && !aggregated && stmt.distinctClause === undefined && !containsNode(stmt.targetList, 'over');
  return { names: targets.names, outputs: targets.sources, simple };
}

function withCtes(stmt: AstNode, parent: Scope | null, ctx: AnalysisContext): Scope {
  const scope = new Scope(parent);
  if (stmt.withClause !== undefined) registerCtes(stmt.withClause, scope, ctx, (name) => countReferences(stmt, name));
  return scope;
}

/** Adds a WITH clause's CTEs to a scope; data-modifying ones are analyzed right away (they always run). */
export function registerCtes(withClause: AstNode, scope: Scope, ctx: AnalysisContext, references: (name: string) => number): void {
  for (const node of list(withClause.ctes)) {
    const cte = unwrap(node)[1] as AstNode;
    const name = String(cte.ctename);
    const definition: CteDefinition = {
      name,
      query: cte.ctequery,
      materialized:
        cte.ctematerialized === 'CTEMaterializeAlways' ? 'always' : cte.ctematerialized === 'CTEMaterializeNever' ? 'never' : 'default',
      recursive: Boolean(withClause.recursive),
      references: references(name),
    };
    scope.ctes.set(name, definition);
    if (typeOf(cte.ctequery) !== 'SelectStmt') ctx.analyzeStatement(cte.ctequery, scope);
  }
}

export function countReferences(stmt: AstNode, name: string): number {
  let count = 0;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as AstNode)) {
      if (key === 'RangeVar' && (value as AstNode).schemaname === undefined && (value as AstNode).relname === name) count++;
      visit(value);
    }
  };
  visit(stmt);
  return count;
}

interface Targets {
  readonly names: string[];
  readonly sources: (ColumnSource | null)[];
  readonly nodes: AstNode[];
}

function readTargets(stmt: AstNode, scope: Scope, ctx: AnalysisContext): Targets {
  const targets: Targets = { names: [], sources: [], nodes: [] };
  for (const entry of list(stmt.targetList)) {
    const target = unwrap(entry)[1] as AstNode;
    const [type, body] = unwrap(target.val);
    if (type === 'ColumnRef') {
      const names = columnRefNames(body);
      if (names[names.length - 1] === '*') {
        markStar(names, scope);
        expandStar(names, scope, targets);
        continue;
      }
      const resolved = scope.resolve(names);
      if (resolved?.source) ctx.use(resolved.source, 'select');
      targets.names.push(String(target.name ?? names[names.length - 1]));
      targets.sources.push(resolved && !resolved.outer ? resolved.source : null);
    } else {
      readColumns(target.val, scope, ctx);
      targets.names.push(String(target.name ?? '?column?'));
      targets.sources.push(null);
    }
    targets.nodes.push(target.val);
  }
  return targets;
}

function expandStar(names: readonly string[], scope: Scope, targets: Targets): void {
  const alias = names.length >= 2 ? names[names.length - 2] : undefined;
  for (const item of scope.items) {
    if (alias !== undefined && item.alias !== alias) continue;
    if (item.kind === 'base') {
      for (const column of item.columns) {
        targets.names.push(column);
        targets.sources.push({ access: item.access, column });
      }
    } else if (item.kind === 'derived') {
      for (const [name, source] of item.outputs) {
        targets.names.push(name);
        targets.sources.push(item.pushable ? source : null);
      }
    }
  }
}

/**
 * A sort/group key: a column, an output name, or an output position (ORDER BY 1); with
 * `expressions`, also an expression of one table's columns (ORDER BY lower(name)).
 */
function keySource(node: AstNode, scope: Scope, ctx: AnalysisContext, targets: Targets, expressions = false): ColumnSource | null {
  const [type, body] = unwrap(node);
  if (type === 'A_Const' && body.ival !== undefined) {
    const position = Number(constValue(body).sql) - 1;
    return targets.sources[position] ?? null;
  }
  const expression = expressions ? expressionKey(node, scope) : undefined;
  if (expression !== undefined) return expression;
  if (type === 'ColumnRef') {
    const names = columnRefNames(body);
    const resolved = scope.resolve(names);
    if (resolved !== undefined && !resolved.outer) return resolved.source;
    const output = names.length === 1 ? targets.names.indexOf(names[0] ?? '') : -1;
    if (output >= 0) return targets.sources[output] ?? null;
  }
  readColumns(node, scope, ctx);
  return null;
}

function readGrouping(stmt: AstNode, scope: Scope, ctx: AnalysisContext, targets: Targets): void {
  for (const node of list(stmt.groupClause)) {
    const source = keySource(node, scope, ctx, targets);
    if (source) {
      ctx.use(source, 'group');
      if (!source.access.groupBy.includes(source.column)) source.access.groupBy.push(source.column);
    }
  }
  for (const node of list(stmt.distinctClause)) {
    if (node === null || Object.keys(node).length === 0) {
      for (const source of targets.sources) if (source) ctx.use(source, 'distinct');
      continue;
    }
    const source = keySource(node, scope, ctx, targets);
    if (source) ctx.use(source, 'distinct', 'DISTINCT ON');
  }
}

/**
 * `ORDER BY col <-> value` (either way round, ascending: nearest first) on a column of this
 * block: the column, which a GiST or SP-GiST index can return by distance.
 */
function nearestKey(stmt: AstNode, scope: Scope, ctx: AnalysisContext): ColumnSource | undefined {
  const sorts = list(stmt.sortClause);
  const sortBy = sorts.length === 1 ? (unwrap(sorts[0])[1] as AstNode) : undefined;
  if (sortBy === undefined || sortBy.sortby_dir === 'SORTBY_DESC') return undefined;
  const [type, body] = unwrap(sortBy.node);
  if (type !== 'A_Expr' || body.kind !== 'AEXPR_OP' || operatorName(body) !== '<->') return undefined;
  const left = operandOf(body.lexpr, scope, ctx);
  const right = operandOf(body.rexpr, scope, ctx);
  if (isCurrentColumn(left) && isValue(right)) return left.source;
  if (isCurrentColumn(right) && isValue(left)) return right.source;
  return undefined;
}

function readOrderBy(stmt: AstNode, scope: Scope, ctx: AnalysisContext, targets: Targets): void {
  const nearest = nearestKey(stmt, scope, ctx);
  if (nearest !== undefined) {
    nearest.access.nearest = nearest.column;
    ctx.use(nearest, 'order', '<->');
    return;
  }
  const keys = list(stmt.sortClause).map((node) => {
    const sortBy = unwrap(node)[1] as AstNode;
    const descending = sortBy.sortby_dir === 'SORTBY_DESC';
    const nulls = sortBy.sortby_nulls === 'SORTBY_NULLS_FIRST' ? true : sortBy.sortby_nulls === 'SORTBY_NULLS_LAST' ? false : null;
    const { node: key, collation } = withoutCollate(sortBy.node);
    return { source: keySource(key, scope, ctx, targets, true), descending, nullsFirst: nulls, collation };
  });
  for (const key of keys) {
    if (key.source === null) continue;
    const detail = [key.descending ? 'DESC' : 'ASC', key.nullsFirst === null ? '' : key.nullsFirst ? 'NULLS FIRST' : 'NULLS LAST'];
    ctx.use(key.source, 'order', detail.filter(Boolean).join(' '));
  }
  const access: MutableAccess | undefined = keys[0]?.source?.access;
  if (access !== undefined && keys.every((k) => k.source?.access === access)) {
    access.orderBy = keys.map((k) => ({
      column: (k.source as ColumnSource).column,
      ...(k.source?.expression === undefined ? {} : { expression: k.source.expression }),
      descending: k.descending,
      nullsFirst: k.nullsFirst,
      ...(k.collation === undefined ? {} : { collation: k.collation }),
    }));
  }
}

const AGGREGATES = new Set([
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'array_agg',
  'string_agg',
  'json_agg',
  'jsonb_agg',
  'bool_and',
  'bool_or',
  'every',
]);

function hasAggregate(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasAggregate);
  if (node === null || typeof node !== 'object') return false;
  for (const [key, value] of Object.entries(node as AstNode)) {
    if (key === 'SubLink') continue;
    if (key === 'FuncCall') {
      const names = list((value as AstNode).funcname).map((n) => String(unwrap(n)[1]?.sval ?? ''));
      if (AGGREGATES.has(names[names.length - 1] ?? '') && (value as AstNode).over === undefined) return true;
    }
    if (hasAggregate(value)) return true;
  }
  return false;
}
