/**
 * SQLite-flavoured text (`?`, `?NNN`, `:name`, `@name`, backticks, `INSERT OR REPLACE`,
 * `LIMIT a, b`) read by the PostgreSQL parser: the rewrite into PostgreSQL form, and the
 * one place that decides which form of a text to parse. Rides on the real PostgreSQL
 * scanner's tokens. Pure.
 */
import { type ParsedStatement, parseStatements, scanTokens, type Token } from './parse.js';

/** A text parsed in the form PostgreSQL reads it. */
export type FlavouredParse =
  | {
      readonly ok: true;
      /** The text that was parsed: as written, or rewritten from SQLite's flavour. */
      readonly text: string;
      readonly rewritten: boolean;
      readonly statements: ParsedStatement[];
    }
  | {
      readonly ok: false;
      /** The form PostgreSQL would read: the rewrite when there was one, else the text as written. */
      readonly text: string;
      /** The parser's error for the text as written, or for its rewrite when PostgreSQL would misread the original. */
      readonly error: unknown;
    };

/**
 * Parses a statement text as PostgreSQL, or as SQLite rewritten to PostgreSQL form:
 * the rewrite first when PostgreSQL would parse the text with another meaning (`?1`,
 * `@name`), else only when PostgreSQL rejects the text as written.
 */
export function parseEitherFlavour(text: string): FlavouredParse {
  const sqlite = misreadAsPostgres(text) ? rewriteSqliteFlavour(text) : null;
  if (sqlite !== null) return parseAs(sqlite, true);
  const written = parseAs(text, false);
  if (written.ok) return written;
  const rewritten = rewriteSqliteFlavour(text);
  if (rewritten === null) return written;
  const second = parseAs(rewritten, true);
  return second.ok ? second : { ok: false, text: rewritten, error: written.error };
}

function parseAs(text: string, rewritten: boolean): FlavouredParse {
  try {
    return { ok: true, text, rewritten, statements: parseStatements(text) };
  } catch (error) {
    return { ok: false, text, error };
  }
}

/** The text as the PostgreSQL parser reads it: SQLite-flavoured text rewritten, any other as it is. */
export function postgresForm(sql: string): string {
  return parseEitherFlavour(sql).text;
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
