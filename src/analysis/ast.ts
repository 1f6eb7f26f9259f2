/** Small readers for libpg-query's JSON parse tree. Pure. */
import type { AstNode } from './parse.js';

/** The node's type name ({ "ColumnRef": {...} } → "ColumnRef") and its body. */
export function unwrap(node: AstNode | null | undefined): [string, AstNode] | [undefined, undefined] {
  if (node === null || node === undefined || typeof node !== 'object') return [undefined, undefined];
  const type = Object.keys(node)[0];
  return type === undefined ? [undefined, undefined] : [type, node[type] as AstNode];
}

export function typeOf(node: AstNode | null | undefined): string | undefined {
  return unwrap(node)[0];
}

export function list(value: unknown): AstNode[] {
  return Array.isArray(value) ? (value as AstNode[]) : [];
}

/** A ColumnRef's fields as names; `*` for A_Star. */
export function columnRefNames(columnRef: AstNode): string[] {
  return list(columnRef.fields).map((field) => {
    const [type, body] = unwrap(field);
    if (type === 'A_Star') return '*';
    return String(body?.sval ?? '');
  });
}

/** The operator name of an A_Expr ("=", "<", "~~", …). */
export function operatorName(aExpr: AstNode): string {
  const names = list(aExpr.name).map((n) => String(unwrap(n)[1]?.sval ?? ''));
  return names[names.length - 1] ?? '';
}

export interface ConstValue {
  /** SQL text of the literal: 'x', 42, true, NULL. */
  readonly sql: string;
  readonly kind: 'string' | 'number' | 'boolean' | 'null' | 'bits';
  /** The raw value for strings (used to read LIKE patterns). */
  readonly text?: string;
  readonly location: number;
}

export function constValue(aConst: AstNode): ConstValue {
  const location = Number(aConst.location ?? -1);
  if (aConst.isnull) return { sql: 'NULL', kind: 'null', location };
  if (aConst.sval !== undefined) {
    const text = String(aConst.sval.sval ?? '');
    return { sql: `'${text.replaceAll("'", "''")}'`, kind: 'string', text, location };
  }
  if (aConst.ival !== undefined) return { sql: String(aConst.ival.ival ?? 0), kind: 'number', location };
  if (aConst.fval !== undefined) return { sql: String(aConst.fval.fval ?? '0'), kind: 'number', location };
  if (aConst.boolval !== undefined) return { sql: aConst.boolval.boolval ? 'true' : 'false', kind: 'boolean', location };
  if (aConst.bsval !== undefined) return { sql: String(aConst.bsval.bsval ?? ''), kind: 'bits', location };
  return { sql: 'NULL', kind: 'null', location };
}

/** The last name of a TypeName (int4, timestamptz, …). */
export function typeName(typeNameNode: AstNode | undefined): string {
  const names = list(typeNameNode?.names).map((n) => String(unwrap(n)[1]?.sval ?? ''));
  const last = names[names.length - 1] ?? '';
  return names[0] === 'pg_catalog' ? last : names.join('.');
}

/** A function call's name, e.g. "lower" or "date_trunc". */
export function functionName(funcCall: AstNode): string {
  const names = list(funcCall.funcname).map((n) => String(unwrap(n)[1]?.sval ?? ''));
  return names[names.length - 1] ?? '';
}

/** Every node of a given type below `node`, not descending into sub-selects. */
export function findNodes(node: unknown, type: string, out: AstNode[] = []): AstNode[] {
  if (Array.isArray(node)) {
    for (const item of node) findNodes(item, type, out);
    return out;
  }
  if (node === null || typeof node !== 'object') return out;
  for (const [key, value] of Object.entries(node as AstNode)) {
    if (key === type) out.push(value as AstNode);
    if (key === 'SelectStmt' || key === 'SubLink') continue;
    findNodes(value, type, out);
  }
  return out;
}

/** Whether the tree holds a node of this type anywhere, sub-selects included. */
export function containsNode(node: unknown, type: string): boolean {
  if (Array.isArray(node)) return node.some((item) => containsNode(item, type));
  if (node === null || typeof node !== 'object') return false;
  for (const [key, value] of Object.entries(node as AstNode)) {
    if (key === type || containsNode(value, type)) return true;
  }
  return false;
}

/** The number of a $n placeholder, also under a cast (`$1::int`); undefined for anything else. */
export function paramNumber(node: AstNode | undefined): number | undefined {
  const [type, body] = unwrap(node);
  if (type === 'ParamRef') return Number(body.number ?? 0);
  if (type === 'TypeCast') return paramNumber(body.arg);
  return undefined;
}

/**
 * Every RangeVar below `node`, sub-selects included, in the parse tree's order: wrapped
 * (`{ RangeVar: … }` in FROM) or bare (a write's `relation`, SELECT INTO's `rel`): a
 * RangeVar is the one node with a `relname`.
 */
export function rangeVars(node: unknown, out: AstNode[] = []): AstNode[] {
  if (Array.isArray(node)) {
    for (const item of node) rangeVars(item, out);
    return out;
  }
  if (node === null || typeof node !== 'object') return out;
  if (typeof (node as AstNode).relname === 'string') out.push(node as AstNode);
  for (const value of Object.values(node as AstNode)) rangeVars(value, out);
  return out;
}
