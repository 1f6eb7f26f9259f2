/** What one side of a comparison is: a column of this block, a value, or an expression over columns. */
import { columnRefNames, constValue, functionName, list, typeName, unwrap } from './ast.js';
import type { AstNode } from './parse.js';
import { analyzeSubLink } from './select-block.js';
import type { AnalysisContext, ColumnSource, Scope } from './scope.js';

export type Operand =
  /** A column reference that resolved (source null: through a relation conditions cannot reach). */
  (
    | { readonly kind: 'column'; readonly source: ColumnSource | null; readonly outer: boolean }
    /** A literal; `constant` when it is the same on every execution. */
    | { readonly kind: 'constant'; readonly sql: string; readonly constant: boolean; readonly text?: string }
    | { readonly kind: 'param'; readonly number: number }
    /** Anything else; `columns` are this block's columns it reads (none: a value, like now() or a sub-select). */
    | { readonly kind: 'expression'; readonly columns: readonly ColumnSource[]; readonly detail: string }
  ) & {
    /** `x COLLATE NOCASE`: the collation the operand names. */
    readonly collation?: string;
  };

/** `x COLLATE c` → x and c; anything else as it is. */
export function withoutCollate(node: AstNode): { node: AstNode; collation?: string } {
  const [type, body] = unwrap(node);
  if (type !== 'CollateClause') return { node };
  const names = list(body.collname).map((n) => String(unwrap(n)[1]?.sval ?? ''));
  const collation = names[names.length - 1];
  return collation ? { node: body.arg as AstNode, collation } : { node: body.arg as AstNode };
}

export function operandOf(node: AstNode, scope: Scope, ctx: AnalysisContext): Operand {
  const [type, body] = unwrap(node);
  switch (type) {
    case 'ColumnRef': {
      const resolved = scope.resolve(columnRefNames(body));
      if (resolved === undefined) return { kind: 'expression', columns: [], detail: columnRefNames(body).join('.') };
      return { kind: 'column', source: resolved.source, outer: resolved.outer };
    }
    case 'A_Const': {
      const value = constValue(body);
      const constant = value.kind === 'boolean' || value.kind === 'null' || ctx.isConstantLiteral(value.location);
      return { kind: 'constant', sql: value.sql, constant, ...(value.text === undefined ? {} : { text: value.text }) };
    }
    case 'ParamRef':
      return { kind: 'param', number: Number(body.number ?? 0) };
    case 'TypeCast': {
      const inner = operandOf(body.arg, scope, ctx);
      if (inner.kind === 'constant') return { ...inner, sql: `${inner.sql}::${typeName(body.typeName)}` };
      if (inner.kind === 'param') return inner;
      if (inner.kind === 'column' && inner.source !== null && !inner.outer) {
        return { kind: 'expression', columns: [inner.source], detail: `${inner.source.column}::${typeName(body.typeName)}` };
      }
      return inner.kind === 'column' ? { kind: 'expression', columns: [], detail: 'cast' } : inner;
    }
    case 'SubLink':
      analyzeSubLink(body, scope, ctx);
      return { kind: 'expression', columns: [], detail: 'sub-select' };
    case 'CollateClause': {
      const { node: inner, collation } = withoutCollate(node);
      const operand = operandOf(inner, scope, ctx);
      return collation === undefined ? operand : { ...operand, collation };
    }
    default: {
      const columns = readColumns(node, scope, ctx).filter((r) => !r.outer && r.source !== null);
      return {
        kind: 'expression',
        columns: columns.map((c) => c.source as ColumnSource),
        detail: type === 'FuncCall' ? `${functionName(body)}(…)` : (type ?? 'expression'),
      };
    }
  }
}

export interface ColumnRead {
  readonly source: ColumnSource | null;
  readonly outer: boolean;
}

/**
 * Walks an expression: every column it reads is marked as read on its table, every
 * sub-select is analyzed as a block of its own. Returns the references found.
 */
export function readColumns(node: unknown, scope: Scope, ctx: AnalysisContext, out: ColumnRead[] = []): ColumnRead[] {
  if (Array.isArray(node)) {
    for (const item of node) readColumns(item, scope, ctx, out);
    return out;
  }
  if (node === null || typeof node !== 'object') return out;
  for (const [key, value] of Object.entries(node as AstNode)) {
    if (key === 'ColumnRef') {
      const names = columnRefNames(value as AstNode);
      if (names[names.length - 1] === '*') {
        markStar(names, scope);
        continue;
      }
      const resolved = scope.resolve(names);
      if (resolved?.source) resolved.source.access.columnsRead.add(resolved.source.column);
      if (resolved) out.push({ source: resolved.source, outer: resolved.outer });
    } else if (key === 'SubLink') {
      analyzeSubLink(value as AstNode, scope, ctx);
    } else if (key === 'SelectStmt') {
      // a sub-select that is not a SubLink (e.g. inside a function's arguments): analyze it on its own
      analyzeSubLink({ subselect: { SelectStmt: value }, subLinkType: 'EXPR_SUBLINK' }, scope, ctx);
    } else {
      readColumns(value, scope, ctx, out);
    }
  }
  return out;
}

/** `*` or `alias.*`: every column of the table is needed; no index can cover the query. */
export function markStar(names: readonly string[], scope: Scope): void {
  const alias = names.length >= 2 ? names[names.length - 2] : undefined;
  for (const item of scope.items) {
    if (alias !== undefined && item.alias !== alias) continue;
    if (item.kind === 'base') item.access.allColumns = true;
    if (item.kind === 'derived') {
      for (const source of item.outputs.values()) if (source) source.access.columnsRead.add(source.column);
    }
  }
}

export function isCurrentColumn(operand: Operand): operand is { kind: 'column'; source: ColumnSource; outer: false } {
  return operand.kind === 'column' && operand.source !== null && !operand.outer;
}

/** A value that is fixed while the table is scanned: usable as an index condition. */
export function isValue(operand: Operand): boolean {
  if (operand.kind === 'constant' || operand.kind === 'param') return true;
  if (operand.kind === 'column') return operand.outer;
  return operand.columns.length === 0;
}

export function listItems(node: AstNode): AstNode[] {
  const [type, body] = unwrap(node);
  return type === 'List' ? list(body.items) : [node];
}
