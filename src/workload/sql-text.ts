/**
 * Working with SQL text before it is parsed: splitting a script into statements,
 * reading `-- name:` / `-- calls_per_minute:` annotations, putting parameter values
 * into a statement, and rewriting SQLite-flavoured text into PostgreSQL form.
 * All of it rides on the real PostgreSQL scanner's tokens; nothing here parses SQL.
 */
import { parseStatements, scanTokens, type Token } from '../analysis/parse.js';

export interface ScriptStatement {
  readonly sql: string;
  /** From comments right before the statement: `-- name: x`, `-- calls_per_minute: N` (or `-- calls: N`). */
  readonly name?: string;
  readonly calls?: number;
  readonly description?: string;
}

/** Splits a script at top-level semicolons (not those in strings, comments or dollar quotes). */
export function splitScript(text: string): ScriptStatement[] {
  const tokens = scanTokens(text);
  if (tokens === null) return splitUnscannable(text);
  const statements: ScriptStatement[] = [];
  let comments: string[] = [];
  let start = -1;
  let end = -1;
  const flush = () => {
    if (start >= 0) statements.push(withAnnotations(text.slice(start, end), comments));
    comments = [];
    start = -1;
  };
  for (const token of tokens) {
    if (token.kind === 'SQL_COMMENT' || token.kind === 'C_COMMENT') {
      if (start < 0) comments.push(token.text);
      continue;
    }
    if (token.text === ';' && token.kind === 'ASCII_59') {
      flush();
      continue;
    }
    if (start < 0) start = token.start;
    end = token.end;
  }
  flush();
  return statements;
}

/** A script the scanner rejects (e.g. an unterminated quote): split at line-ending semicolons, scan each part. */
function splitUnscannable(text: string): ScriptStatement[] {
  const parts = text.split(/;[ \t]*(?:\r?\n|$)/);
  return parts.flatMap((part) => {
    if (part.trim() === '') return [];
    const tokens = scanTokens(part);
    return tokens === null ? [{ sql: part.trim() }] : splitScript(part);
  });
}

function withAnnotations(sql: string, comments: readonly string[]): ScriptStatement {
  const statement: { -readonly [K in keyof ScriptStatement]: ScriptStatement[K] } = { sql: sql.trim() };
  const description: string[] = [];
  for (const comment of comments) {
    const match = /^--\s*(name|calls_per_minute|calls)\s*:\s*(.+?)\s*$/i.exec(comment);
    if (match?.[1]?.toLowerCase() === 'name') statement.name = match[2];
    else if (match) {
      const calls = Number(match[2]);
      if (Number.isFinite(calls) && calls >= 0) statement.calls = calls;
    } else if (comment.startsWith('--')) description.push(comment.replace(/^--\s?/, '').trim());
  }
  if (description.length > 0 && statement.name !== undefined) statement.description = description.join(' ');
  return statement;
}

/** A value as a SQL literal: NULL, or a quoted string the server coerces to the column's type. */
export function sqlLiteral(value: string | null): string {
  return value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`;
}

/** Puts values into a statement's $n placeholders; placeholders without a value stay. */
export function bindParams(sql: string, params: readonly (string | null)[]): string {
  const tokens = scanTokens(sql);
  if (tokens === null) return sql;
  return replaceTokens(sql, tokens, (token) => {
    if (token.kind !== 'PARAM') return undefined;
    const index = Number(token.text.slice(1)) - 1;
    return index >= 0 && index < params.length ? sqlLiteral(params[index] ?? null) : undefined;
  });
}

function replaceTokens(sql: string, tokens: readonly Token[], replace: (token: Token, index: number) => string | undefined): string {
  let out = '';
  let cursor = 0;
  tokens.forEach((token, index) => {
    const replacement = replace(token, index);
    if (replacement === undefined) return;
    out += sql.slice(cursor, token.start) + replacement;
    cursor = token.end;
  });
  return out + sql.slice(cursor);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/**
 * SQLite (and MySQL-ish) text → PostgreSQL: `?`, `?NNN`, `:name`, `@name`, `$name`
 * placeholders → `$n`; backtick-quoted names → double quotes; `INSERT OR REPLACE` /
 * `REPLACE INTO` → `INSERT INTO`; `LIMIT a, b` → `LIMIT b OFFSET a`.
 * Returns null when there was nothing to rewrite. Use only on text PostgreSQL rejects:
 * `?` and `@` are also PostgreSQL operators.
 */
export function rewriteSqliteFlavour(sql: string): string | null {
  const tokens = scanTokens(sql);
  if (tokens === null) return null;
  const edits = new Map<number, { end: number; text: string }>();
  const named = new Map<string, number>();
  let highest = 0;
  for (const t of tokens) if (t.kind === 'PARAM') highest = Math.max(highest, Number(t.text.slice(1)));
  const adjacent = (i: number) => tokens[i + 1] !== undefined && tokens[i + 1]?.start === tokens[i]?.end;

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const next = tokens[i + 1];
    if (t.text === '`') {
      const close = tokens.findIndex((c, k) => k > i && c.text === '`');
      if (close < 0) continue;
      const inner = sql.slice(t.end, (tokens[close] as Token).start);
      edits.set(t.start, { end: (tokens[close] as Token).end, text: `"${inner.replaceAll('"', '""')}"` });
      i = close;
    } else if (t.text === '?' && next?.kind === 'ICONST' && adjacent(i)) {
      highest = Math.max(highest, Number(next.text));
      edits.set(t.start, { end: next.end, text: `$${Number(next.text)}` });
      i++;
    } else if (t.text === '?') {
      edits.set(t.start, { end: t.end, text: `$${++highest}` });
    } else if ((t.text === ':' || t.text === '@' || t.text === '$') && next && adjacent(i) && IDENTIFIER.test(next.text)) {
      const previous = tokens[i - 1];
      if (t.text === ':' && previous?.end === t.start && previous.text === ':') continue; // a :: cast
      let number = named.get(next.text);
      if (number === undefined) {
        number = ++highest;
        named.set(next.text, number);
      }
      edits.set(t.start, { end: next.end, text: `$${number}` });
      i++;
    }
  }
  rewriteInsertOrReplace(tokens, edits);
  rewriteLimitComma(sql, tokens, edits);
  if (edits.size === 0) return null;
  let out = '';
  let cursor = 0;
  for (const [start, edit] of [...edits.entries()].sort((a, b) => a[0] - b[0])) {
    if (start < cursor) continue;
    out += sql.slice(cursor, start) + edit.text;
    cursor = edit.end;
  }
  return out + sql.slice(cursor);
}

/**
 * SQLite text that PostgreSQL parses too, with another meaning: `?1` (the prefix
 * operator ? on 1) and `@name` (the absolute value of a column). Rewrite it first.
 */
export function misreadAsPostgres(sql: string): boolean {
  const tokens = scanTokens(sql) ?? [];
  return tokens.some((t, i) => {
    const next = tokens[i + 1];
    if (next === undefined || next.start !== t.end) return false;
    return (t.text === '?' && next.kind === 'ICONST') || (t.text === '@' && next.kind === 'IDENT');
  });
}

/** The text as the PostgreSQL parser reads it: SQLite-flavoured text rewritten, any other as it is. */
export function postgresForm(sql: string): string {
  if (misreadAsPostgres(sql)) return rewriteSqliteFlavour(sql) ?? sql;
  try {
    parseStatements(sql);
    return sql;
  } catch {
    return rewriteSqliteFlavour(sql) ?? sql;
  }
}

function rewriteInsertOrReplace(tokens: readonly Token[], edits: Map<number, { end: number; text: string }>): void {
  const lower = (i: number) => tokens[i]?.text.toLowerCase();
  for (let i = 0; i < tokens.length; i++) {
    if (lower(i) === 'insert' && lower(i + 1) === 'or' && /^(replace|ignore|abort|fail|rollback)$/.test(lower(i + 2) ?? '')) {
      edits.set((tokens[i] as Token).start, { end: (tokens[i + 2] as Token).end, text: 'INSERT' });
    } else if (i === 0 && lower(i) === 'replace' && lower(i + 1) === 'into') {
      edits.set((tokens[i] as Token).start, { end: (tokens[i] as Token).end, text: 'INSERT' });
    }
  }
}

function rewriteLimitComma(sql: string, tokens: readonly Token[], edits: Map<number, { end: number; text: string }>): void {
  for (let i = 0; i + 3 < tokens.length; i++) {
    const [limit, offset, comma, count] = [tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3]] as Token[];
    if (limit?.text.toLowerCase() !== 'limit' || comma?.text !== ',') continue;
    const offsetText = edits.get(offset?.start ?? -1)?.text ?? sql.slice(offset?.start, offset?.end);
    const countText = edits.get(count?.start ?? -1)?.text ?? sql.slice(count?.start, count?.end);
    edits.delete(offset?.start ?? -1);
    edits.delete(count?.start ?? -1);
    edits.set(offset?.start ?? 0, { end: count?.end ?? 0, text: `${countText} OFFSET ${offsetText}` });
  }
}
