/** FROM-clause items → scope entries: base tables, joins, subqueries, CTE and view references. */
import { qualifiedKey, type Table } from '../model/catalog.js';
import { list, unwrap } from './ast.js';
import { type AstNode, parseStatements } from './parse.js';
import { lookupRelation } from './relations.js';
import type { AnalysisContext, ColumnSource, CteDefinition, Scope, ScopeItem } from './scope.js';
import { analyzeBlock, type BlockResult } from './select-block.js';

export function addFromItem(node: AstNode, scope: Scope, ctx: AnalysisContext, joinConditions: AstNode[]): void {
  const [type, body] = unwrap(node);
  switch (type) {
    case 'RangeVar':
      scope.items.push(rangeVarItem(body, scope, ctx));
      return;
    case 'JoinExpr':
      addFromItem(body.larg, scope, ctx, joinConditions);
      addFromItem(body.rarg, scope, ctx, joinConditions);
      if (body.quals !== undefined) joinConditions.push(body.quals);
      for (const name of list(body.usingClause).map((n) => String(unwrap(n)[1]?.sval ?? ''))) {
        joinConditions.push(usingCondition(name, body));
      }
      return;
    case 'RangeSubselect': {
      const alias = String(body.alias?.aliasname ?? 'subquery');
      const block = analyzeBlock(unwrap(body.subquery)[1] as AstNode, body.lateral ? scope : scope.parent, ctx);
      scope.items.push(derived(alias, block, block.simple, body.alias?.colnames));
      return;
    }
    default: {
      // functions, VALUES, …: their columns are not tables'; still read their arguments
      const alias = String(body?.alias?.aliasname ?? type ?? 'item');
      scope.items.push({ kind: 'opaque', alias, columns: null });
    }
  }
}

function rangeVarItem(rangeVar: AstNode, scope: Scope, ctx: AnalysisContext): ScopeItem {
  const name = String(rangeVar.relname);
  const schema = rangeVar.schemaname === undefined ? undefined : String(rangeVar.schemaname);
  const alias = String(rangeVar.alias?.aliasname ?? name);
  const cte = schema === undefined ? scope.findCte(name) : undefined;
  if (cte !== undefined) return cteItem(cte, alias, scope, ctx);
  const relation = lookupRelation(ctx.catalog, schema, name);
  switch (relation.kind) {
    case 'table':
      return baseItem(relation.table, alias, ctx);
    case 'view': {
      const block = viewBlock(relation.view.schema, relation.view.name, relation.view.definition, ctx);
      return block === null ? { kind: 'opaque', alias, columns: null } : derived(alias, block, block.simple);
    }
    case 'system':
      ctx.sawSystemTable = true;
      return { kind: 'opaque', alias, columns: null };
    case 'unknown':
      ctx.unknownTables.add(relation.name);
      return { kind: 'opaque', alias, columns: null };
  }
}

function baseItem(table: Table, alias: string, ctx: AnalysisContext): ScopeItem {
  const access = ctx.newAccess({ schema: table.schema, name: table.name }, alias);
  return { kind: 'base', alias, columns: new Set(table.columns.map((c) => c.name)), access };
}

/** A CTE: analyzed once; outer conditions reach it when PostgreSQL would inline it (12+). */
function cteItem(cte: CteDefinition, alias: string, scope: Scope, ctx: AnalysisContext): ScopeItem {
  if (cte.result === undefined) {
    cte.result = { outputs: new Map(), simple: false }; // guards recursive references
    const [type, body] = unwrap(cte.query);
    const block = type === 'SelectStmt' ? analyzeBlock(body, scope, ctx) : null;
    cte.result = block === null ? { outputs: new Map(), simple: false } : { outputs: outputMap(block), simple: block.simple };
  }
  const inlined = !cte.recursive && cte.materialized !== 'always' && (cte.materialized === 'never' || cte.references <= 1);
  return { kind: 'derived', alias, outputs: cte.result.outputs, pushable: inlined && cte.result.simple };
}

/** A view is expanded to its query (parsed once per statement set). */
function viewBlock(schema: string, name: string, definition: string, ctx: AnalysisContext): BlockResult | null {
  const key = qualifiedKey(schema, name);
  if (!ctx.viewCache.has(key)) {
    try {
      const [statement] = parseStatements(definition);
      ctx.viewCache.set(key, (unwrap(statement?.stmt)[1] as AstNode | undefined) ?? null);
    } catch {
      ctx.viewCache.set(key, null);
    }
  }
  const stmt = ctx.viewCache.get(key);
  if (stmt === null || stmt === undefined) return null;
  // Views see only the catalog, never the query's scopes; a view that refers to itself is not expanded twice.
  ctx.viewCache.set(key, null);
  try {
    return analyzeBlock(stmt, null, ctx);
  } finally {
    ctx.viewCache.set(key, stmt);
  }
}

function outputMap(block: BlockResult, renames?: unknown): Map<string, ColumnSource | null> {
  const names = list(renames).map((n) => String(unwrap(n)[1]?.sval ?? ''));
  return new Map(block.names.map((name, i) => [names[i] ?? name, block.outputs[i] ?? null]));
}

function derived(alias: string, block: BlockResult, pushable: boolean, renames?: unknown): ScopeItem {
  return { kind: 'derived', alias, outputs: outputMap(block, renames), pushable };
}

/** JOIN … USING (col): the same column of the two sides, equal. */
function usingCondition(column: string, join: AstNode): AstNode {
  const sideAlias = (side: AstNode): string | undefined => {
    const [type, body] = unwrap(side);
    if (type === 'RangeVar') return String(body.alias?.aliasname ?? body.relname);
    if (type === 'RangeSubselect') return String(body.alias?.aliasname ?? '');
    return undefined;
  };
  const left = sideAlias(join.larg);
  const right = sideAlias(join.rarg);
  const ref = (alias: string | undefined) => ({
    ColumnRef: { fields: [...(alias ? [{ String: { sval: alias } }] : []), { String: { sval: column } }] },
  });
  return { A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: '=' } }], lexpr: ref(left), rexpr: ref(right) } };
}
