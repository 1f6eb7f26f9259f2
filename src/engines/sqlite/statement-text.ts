/**
 * What the SQLite engine reads from a statement's text before running it: its
 * parameters (any of `?`, `?NNN`, `:name`, `@name`, `$name`, rewritten to `@pN` so
 * values bind by position), the aliases its tables go by (EXPLAIN QUERY PLAN prints
 * aliases), and its outermost LIMIT. Pure.
 *
 * Parameter numbers follow SQLite (and src/analysis/sqlite-flavour.ts, which rewrites the
 * same text for the PostgreSQL parser): `?NNN` is NNN, `?` is one more than the highest
 * so far, a name keeps the number of its first appearance. `$1`-style names count as
 * numbers, so PostgreSQL-style text binds the way the analysis numbered it.
 */
import { identifierValue, isIdentifier, isKeyword, type SqliteToken, significant, tokenize } from './tokens.js';

export interface BindableText {
  /** The text with every parameter written `@pN` (as it was when all are plain `?`). */
  readonly sql: string;
  /** The highest parameter number (0: none). */
  readonly count: number;
  /** Only plain `?`: values bind by position (binding by name is slow for many parameters). */
  readonly positional: boolean;
}

export function bindableText(sql: string): BindableText {
  const tokens = tokenize(sql);
  const params = tokens.filter((t) => t.kind === 'param');
  if (params.every((t) => t.text === '?')) return { sql, count: params.length, positional: true };
  let highest = 0;
  for (const t of tokens) if (t.kind === 'param' && /^\$\d+$/.test(t.text)) highest = Math.max(highest, Number(t.text.slice(1)));
  const named = new Map<string, number>();
  const numberOf = (text: string): number => {
    if (/^[?$]\d+$/.test(text)) {
      highest = Math.max(highest, Number(text.slice(1)));
      return Number(text.slice(1));
    }
    if (text === '?') return ++highest;
    const known = named.get(text) ?? ++highest;
    named.set(text, known);
    return known;
  };
  let out = '';
  for (const token of tokens) out += token.kind === 'param' ? `@p${numberOf(token.text)}` : token.text;
  return { sql: out, count: highest, positional: false };
}

/** The arguments that bind the values by parameter number (1-based): the given ones, NULL for the rest. */
export function bindArguments(text: BindableText, values: readonly unknown[]): unknown[] {
  if (text.count === 0) return [];
  const value = (n: number) => values[n - 1] ?? null;
  if (text.positional) return Array.from({ length: text.count }, (_, i) => value(i + 1));
  const bound: Record<string, unknown> = {};
  for (let n = 1; n <= text.count; n++) bound[`p${n}`] = value(n);
  return [bound];
}

const NOT_ALIASES = new Set(
  `WHERE JOIN LEFT RIGHT FULL INNER OUTER CROSS NATURAL ON USING GROUP ORDER LIMIT HAVING WINDOW UNION EXCEPT INTERSECT
SET VALUES DEFAULT SELECT INDEXED NOT AS WHEN THEN END RETURNING DO FROM OFFSET AND OR`.split(/\s+/),
);

/**
 * alias → table name (lower-cased keys) for every known table the text names:
 * `messages m`, `"Order Items" AS oi`, `main.t x`. Tables appear under their own names too.
 */
export function tableAliases(sql: string, tables: readonly string[]): Map<string, string> {
  const known = new Map(tables.map((t) => [t.toLowerCase(), t]));
  const tokens = significant(tokenize(sql));
  const aliases = new Map<string, string>();
  tokens.forEach((token, i) => {
    if (!isIdentifier(token) || tokens[i + 1]?.text === '.') return;
    const table = known.get(identifierValue(token).toLowerCase());
    if (table === undefined || (tokens[i - 1]?.text === '.' && !isSchemaPrefix(tokens, i))) return;
    const alias = aliasAfter(tokens, i);
    if (alias !== null) aliases.set(alias.toLowerCase(), table);
  });
  return aliases;
}

/** `main.t`: the table name after a schema name (not a column after a table). */
function isSchemaPrefix(tokens: readonly SqliteToken[], i: number): boolean {
  const schema = tokens[i - 2];
  return schema !== undefined && /^(main|temp)$/i.test(identifierValue(schema));
}

function aliasAfter(tokens: readonly SqliteToken[], i: number): string | null {
  const following = tokens[i + 1];
  if (isKeyword(following, 'AS')) {
    const named = tokens[i + 2];
    return isIdentifier(named) ? identifierValue(named) : null;
  }
  if (following?.kind === 'quoted') return identifierValue(following);
  if (following?.kind === 'word' && !NOT_ALIASES.has(following.text.toUpperCase())) return following.text;
  return null;
}

/** A LIMIT given as a parameter is planned as this many rows. */
export const PARAMETER_LIMIT = 20;

/**
 * The rows the outermost LIMIT lets through (its count plus any offset), or null when
 * the statement has none. `LIMIT ?` counts as PARAMETER_LIMIT.
 */
export function outerLimit(sql: string): number | null {
  const tokens = significant(tokenize(sql));
  let depth = 0;
  let at = -1;
  tokens.forEach((t, i) => {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && isKeyword(t, 'LIMIT')) at = i;
  });
  if (at < 0) return null;
  const value = (t: SqliteToken | undefined): number | null =>
    t?.kind === 'number' ? Number(t.text) : t?.kind === 'param' ? PARAMETER_LIMIT : null;
  const first = value(tokens[at + 1]);
  if (first === null) return null;
  const joiner = tokens[at + 2];
  const second = joiner?.text === ',' || isKeyword(joiner, 'OFFSET') ? value(tokens[at + 3]) : 0;
  return first + (second ?? 0);
}
