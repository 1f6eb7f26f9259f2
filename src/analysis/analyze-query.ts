/**
 * A statement's parse tree + the catalog → what it does with each table
 * (QueryAnalysis). Pure: no database access.
 */
import type { QueryAnalysis, StatementKind, TableAccess } from '../model/analysis.js';
import type { Catalog } from '../model/catalog.js';
import { list, paramNumber, unwrap } from './ast.js';
import { classifyCondition } from './conditions.js';
import { addFromItem } from './from-items.js';
import { readColumns } from './operands.js';
import { type AstNode, parseStatements } from './parse.js';
import { lookupRelation } from './relations.js';
import { AnalysisContext, type MutableAccess, Scope } from './scope.js';
import { analyzeBlock, countReferences, registerCtes } from './select-block.js';

export interface AnalyzeOptions {
  /**
   * Which literals are the same on every execution (and so may become a partial
   * index's predicate): 'all' for hand-written workloads, 'none' for texts whose
   * values are one execution's parameters, or a test per literal's byte offset.
   */
  readonly constantLiterals?: 'all' | 'none' | ((location: number) => boolean);
  /** Parsed view definitions, shared across the queries of one workload. */
  readonly viewCache?: Map<string, AstNode | null>;
}

const KINDS: Record<string, StatementKind> = {
  SelectStmt: 'select',
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
  MergeStmt: 'merge',
};

/** Analyzes the first statement of `sql`. Throws SqlParseError when it does not parse. */
export function analyzeSql(sql: string, catalog: Catalog, options: AnalyzeOptions = {}): QueryAnalysis {
  const [statement] = parseStatements(sql);
  if (statement === undefined) throw new Error('no statement');
  return analyzeStatement(statement.stmt, catalog, options);
}

export function analyzeStatement(stmt: AstNode, catalog: Catalog, options: AnalyzeOptions = {}): QueryAnalysis {
  const policy = options.constantLiterals ?? 'all';
  const isConstant = typeof policy === 'function' ? policy : () => policy === 'all';
  const ctx = new AnalysisContext(catalog, isConstant, options.viewCache);
  ctx.analyzeStatement = (node, scope) => analyzeNode(node, scope, ctx);
  const [type] = unwrap(stmt);
  analyzeNode(stmt, null, ctx);
  return {
    kind: KINDS[type ?? ''] ?? 'select',
    accesses: ctx.accesses.map(freeze),
    writes: ctx.writes,
    uses: ctx.uses,
    unknownTables: [...ctx.unknownTables],
    noUserTables: ctx.accesses.length === 0 && ctx.writes.length === 0 && ctx.unknownTables.size === 0,
    notes: [...ctx.notes],
    limitParams: [...new Set(ctx.limitParams)],
  };
}

function analyzeNode(node: AstNode, parent: Scope | null, ctx: AnalysisContext): void {
  const [type, body] = unwrap(node);
  switch (type) {
    case 'SelectStmt':
      analyzeBlock(body, parent, ctx);
      return;
    case 'InsertStmt':
      return analyzeInsert(body, parent, ctx);
    case 'UpdateStmt':
    case 'DeleteStmt':
      return analyzeUpdateOrDelete(type, body, parent, ctx);
    case 'MergeStmt':
      return analyzeMerge(body, parent, ctx);
  }
}

/** The target table of a write, as an access of its own (UPDATE/DELETE … WHERE filter it). */
function target(rangeVar: AstNode, scope: Scope, ctx: AnalysisContext): MutableAccess | null {
  const relation = lookupRelation(ctx.catalog, rangeVar.schemaname, String(rangeVar.relname));
  if (relation.kind === 'unknown') ctx.unknownTables.add(relation.name);
  if (relation.kind !== 'table') return null;
  const alias = String(rangeVar.alias?.aliasname ?? rangeVar.relname);
  const access = ctx.newAccess({ schema: relation.table.schema, name: relation.table.name }, alias);
  scope.items.push({ kind: 'base', alias, columns: new Set(relation.table.columns.map((c) => c.name)), access });
  return access;
}

function scopeWithCtes(body: AstNode, parent: Scope | null, ctx: AnalysisContext): Scope {
  const scope = new Scope(parent);
  if (body.withClause !== undefined) registerCtes(body.withClause, scope, ctx, (name) => countReferences(body, name));
  return scope;
}

function analyzeInsert(body: AstNode, parent: Scope | null, ctx: AnalysisContext): void {
  const scope = scopeWithCtes(body, parent, ctx);
  const relation = lookupRelation(ctx.catalog, body.relation?.schemaname, String(body.relation?.relname));
  const [type, select] = unwrap(body.selectStmt);
  if (relation.kind === 'table') {
    const columns = list(body.cols).map((c) => String((unwrap(c)[1] as AstNode).name));
    const firstRow = list(unwrap(list(select?.valuesLists)[0])[1]?.items);
    const valueParams: Record<string, number> = {};
    columns.forEach((column, i) => {
      const param = paramNumber(firstRow[i]);
      if (param !== undefined) valueParams[column] = param;
    });
    ctx.writes.push({
      table: { schema: relation.table.schema, name: relation.table.name },
      kind: 'insert',
      updatedColumns: [],
      valueParams,
    });
  }
  if (relation.kind === 'unknown') ctx.unknownTables.add(relation.name);
  if (type === 'SelectStmt') analyzeBlock(select, scope, ctx);
}

function analyzeUpdateOrDelete(type: 'UpdateStmt' | 'DeleteStmt', body: AstNode, parent: Scope | null, ctx: AnalysisContext): void {
  const scope = scopeWithCtes(body, parent, ctx);
  const access = target(body.relation, scope, ctx);
  const joinConditions: AstNode[] = [];
  for (const item of list(type === 'UpdateStmt' ? body.fromClause : body.usingClause)) addFromItem(item, scope, ctx, joinConditions);
  classifyCondition(body.whereClause, scope, ctx);
  for (const condition of joinConditions) classifyCondition(condition, scope, ctx);
  const updated: string[] = [];
  const valueParams: Record<string, number> = {};
  for (const entry of list(body.targetList)) {
    const res = unwrap(entry)[1] as AstNode;
    if (res.name !== undefined) updated.push(String(res.name));
    const param = paramNumber(res.val);
    if (res.name !== undefined && param !== undefined) valueParams[String(res.name)] = param;
    readColumns(res.val, scope, ctx);
  }
  readColumns(body.returningList, scope, ctx);
  if (access === null) return;
  ctx.writes.push({ table: access.table, kind: type === 'UpdateStmt' ? 'update' : 'delete', updatedColumns: updated, valueParams });
  for (const column of updated) ctx.use({ access, column }, 'write', 'SET');
}

function analyzeMerge(body: AstNode, parent: Scope | null, ctx: AnalysisContext): void {
  const scope = scopeWithCtes(body, parent, ctx);
  const access = target(body.relation, scope, ctx);
  const joinConditions: AstNode[] = [];
  addFromItem(body.sourceRelation, scope, ctx, joinConditions);
  classifyCondition(body.joinCondition, scope, ctx);
  readColumns(body.mergeWhenClauses, scope, ctx);
  if (access) ctx.writes.push({ table: access.table, kind: 'merge', updatedColumns: [] });
}

function freeze(access: MutableAccess): TableAccess {
  return {
    table: access.table,
    alias: access.alias,
    filters: access.filters,
    orGroups: access.orGroups,
    joins: access.joins,
    orderBy: access.orderBy,
    groupBy: access.groupBy,
    columnsRead: [...access.columnsRead].sort(),
    allColumns: access.allColumns,
    limited: access.limited,
    ...(access.nearest === undefined ? {} : { nearest: access.nearest }),
  };
}
