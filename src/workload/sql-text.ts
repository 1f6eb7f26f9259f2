/**
 * Working with SQL text before it is parsed: splitting a script into statements,
 * reading `-- name:` / `-- calls_per_minute:` annotations and putting parameter values
 * into a statement (SQLite-flavoured text is read in src/analysis/sqlite-flavour.ts).
 * All of it rides on the real PostgreSQL scanner's tokens; nothing here parses SQL.
 */
import { scanTokens, type Token } from '../analysis/parse.js';

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
