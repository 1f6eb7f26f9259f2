/**
 * A small tokenizer for SQLite's SQL text: enough to find parameters, table aliases,
 * a statement's LIMIT and the parts of CREATE statements, without parsing. Strings,
 * quoted names ("x", `x`, [x]), comments and blobs are single tokens, so nothing
 * inside them is ever mistaken for SQL. Pure.
 */

export const TOKEN_KINDS = ['word', 'quoted', 'string', 'blob', 'number', 'param', 'punct', 'space', 'comment'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

export interface SqliteToken {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const PARAM_NAME = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Where a quoted run that opens at `start` ends (just after its closing quote); doubled quotes are escapes. */
function quotedEnd(sql: string, start: number, close: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === close) {
      if (close !== ']' && sql[i + 1] === close) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

function runEnd(sql: string, start: number, part: RegExp): number {
  let i = start;
  while (i < sql.length && part.test(sql[i] as string)) i++;
  return i;
}

function numberEnd(sql: string, start: number): number {
  if (/^0x/i.test(sql.slice(start, start + 2))) return runEnd(sql, start + 2, /[0-9a-f]/i);
  const match = /^(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?/i.exec(sql.slice(start));
  return start + (match?.[0].length ?? 1);
}

/** The token that starts at `i`: its kind and where it ends. */
function next(sql: string, i: number): { kind: TokenKind; end: number } {
  const ch = sql[i] as string;
  const ahead = sql[i + 1] ?? '';
  if (/\s/.test(ch)) return { kind: 'space', end: runEnd(sql, i, /\s/) };
  if (ch === '-' && ahead === '-') {
    const newline = sql.indexOf('\n', i);
    return { kind: 'comment', end: newline < 0 ? sql.length : newline };
  }
  if (ch === '/' && ahead === '*') {
    const close = sql.indexOf('*/', i + 2);
    return { kind: 'comment', end: close < 0 ? sql.length : close + 2 };
  }
  if ((ch === 'x' || ch === 'X') && ahead === "'") return { kind: 'blob', end: quotedEnd(sql, i + 1, "'") };
  if (ch === "'") return { kind: 'string', end: quotedEnd(sql, i, "'") };
  if (ch === '"' || ch === '`') return { kind: 'quoted', end: quotedEnd(sql, i, ch) };
  if (ch === '[') return { kind: 'quoted', end: quotedEnd(sql, i, ']') };
  if (/\d/.test(ch) || (ch === '.' && /\d/.test(ahead))) return { kind: 'number', end: numberEnd(sql, i) };
  if (ch === '?') return { kind: 'param', end: runEnd(sql, i + 1, /\d/) };
  if ((ch === ':' || ch === '@' || ch === '$') && PARAM_NAME.test(ahead)) return { kind: 'param', end: runEnd(sql, i + 1, PARAM_NAME) };
  if (WORD_START.test(ch)) return { kind: 'word', end: runEnd(sql, i + 1, WORD_PART) };
  return { kind: 'punct', end: i + 1 };
}

export function tokenize(sql: string): SqliteToken[] {
  const tokens: SqliteToken[] = [];
  let i = 0;
  while (i < sql.length) {
    const { kind, end } = next(sql, i);
    tokens.push({ kind, text: sql.slice(i, end), start: i, end });
    i = end;
  }
  return tokens;
}

/** Tokens without spaces and comments. */
export function significant(tokens: readonly SqliteToken[]): SqliteToken[] {
  return tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
}

/** The name an identifier token stands for: quotes removed, doubled quotes undone. */
export function identifierValue(token: SqliteToken): string {
  if (token.kind !== 'quoted' && token.kind !== 'string') return token.text;
  const open = token.text[0] as string;
  const close = open === '[' ? ']' : open;
  const inner = token.text.slice(1, token.text.endsWith(close) ? -1 : undefined);
  return open === '[' ? inner : inner.replaceAll(`${close}${close}`, close);
}

export function isIdentifier(token: SqliteToken | undefined): token is SqliteToken {
  return token !== undefined && (token.kind === 'word' || token.kind === 'quoted');
}

export function isKeyword(token: SqliteToken | undefined, ...words: string[]): boolean {
  return token?.kind === 'word' && words.includes(token.text.toUpperCase());
}

/**
 * Splits a token list at top-level `separator` punctuation (not inside parentheses),
 * e.g. the column definitions of a CREATE TABLE or the statements of a trigger body.
 */
export function splitTopLevel(tokens: readonly SqliteToken[], separator: string): SqliteToken[][] {
  const parts: SqliteToken[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.text === '(') depth++;
    if (token.text === ')') depth--;
    if (depth === 0 && token.kind === 'punct' && token.text === separator) parts.push([]);
    else (parts[parts.length - 1] as SqliteToken[]).push(token);
  }
  return parts.filter((p) => p.some((t) => t.kind !== 'space' && t.kind !== 'comment'));
}

/** The tokens between the first top-level "(" at or after `from` and its matching ")". */
export function parenthesized(tokens: readonly SqliteToken[], from = 0): { inner: SqliteToken[]; end: number } | null {
  const open = tokens.findIndex((t, i) => i >= from && t.text === '(');
  if (open < 0) return null;
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const text = (tokens[i] as SqliteToken).text;
    if (text === '(') depth++;
    else if (text === ')' && --depth === 0) return { inner: tokens.slice(open + 1, i), end: i };
  }
  return null;
}

/** The source text a run of tokens covers. */
export function textOf(sql: string, tokens: readonly SqliteToken[]): string {
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  return first === undefined || last === undefined ? '' : sql.slice(first.start, last.end).trim();
}
