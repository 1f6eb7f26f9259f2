/**
 * The filters of a statement's outermost WHERE, read from its tokens: each top-level
 * AND term that names columns of one table (by alias, or unqualified), and whether it
 * is an equality. EXPLAIN QUERY PLAN shows the constraints an index serves but not the
 * ones applied to each row afterwards; the cost model uses these to reduce the rows a
 * step passes on (and so the loops after it, and what a LIMIT cuts). Join terms (two
 * tables) are left out: the inner search shows them. Pure.
 */
import { identifierValue, isIdentifier, isKeyword, type SqliteToken, significant, tokenize } from './tokens.js';

export interface WhereTerm {
  /** The alias or table name the columns are qualified with; null when unqualified. */
  readonly alias: string | null;
  readonly columns: readonly string[];
  readonly equality: boolean;
}

const END_OF_WHERE = ['GROUP', 'ORDER', 'LIMIT', 'HAVING', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'RETURNING'];
const NOT_COLUMNS = new Set(
  `AND OR NOT IS NULL IN LIKE GLOB BETWEEN COLLATE ESCAPE CASE WHEN THEN ELSE END TRUE FALSE EXISTS CAST AS MATCH REGEXP
NOCASE BINARY RTRIM ISNULL NOTNULL SELECT FROM WHERE DISTINCT ALL`.split(/\s+/),
);

/** The tokens of the outermost WHERE clause (at parenthesis depth 0), without the keyword. */
function whereClause(tokens: readonly SqliteToken[]): SqliteToken[] {
  let depth = 0;
  let start = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as SqliteToken;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && start < 0 && isKeyword(t, 'WHERE')) start = i + 1;
    else if (depth === 0 && start >= 0 && (isKeyword(t, ...END_OF_WHERE) || t.text === ';')) return tokens.slice(start, i);
  }
  return start < 0 ? [] : tokens.slice(start);
}

/** Splits at top-level AND, keeping BETWEEN x AND y together. */
function andTerms(tokens: readonly SqliteToken[]): SqliteToken[][] {
  const terms: SqliteToken[][] = [[]];
  let depth = 0;
  let between = false;
  for (const t of tokens) {
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (depth === 0 && isKeyword(t, 'BETWEEN')) between = true;
    if (depth === 0 && isKeyword(t, 'AND') && !between) terms.push([]);
    else {
      if (depth === 0 && isKeyword(t, 'AND')) between = false;
      (terms[terms.length - 1] as SqliteToken[]).push(t);
    }
  }
  return terms.filter((t) => t.length > 0);
}

/** Columns inside function calls and parentheses count; those of a sub-select do not. */
function readTerm(tokens: readonly SqliteToken[]): WhereTerm | null {
  const aliases = new Set<string>();
  const columns: string[] = [];
  const parens: boolean[] = [];
  let equality = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as SqliteToken;
    if (t.text === '(') parens.push(isKeyword(tokens[i + 1], 'SELECT', 'WITH', 'VALUES'));
    else if (t.text === ')') parens.pop();
    if (parens.includes(true)) continue;
    if ((t.text === '=' && !['<', '>', '!'].includes(tokens[i - 1]?.text ?? '')) || isKeyword(t, 'IN')) equality = true;
    if (!isIdentifier(t) || tokens[i + 1]?.text === '(') continue;
    if (tokens[i + 1]?.text === '.' && isIdentifier(tokens[i + 2])) {
      aliases.add(identifierValue(t).toLowerCase());
      columns.push(identifierValue(tokens[i + 2] as SqliteToken));
      i += 2;
    } else if (t.kind === 'quoted' || !NOT_COLUMNS.has(t.text.toUpperCase())) columns.push(identifierValue(t));
  }
  if (columns.length === 0 || aliases.size > 1) return null;
  const [alias] = [...aliases];
  return { alias: alias ?? null, columns, equality };
}

export function whereTerms(sql: string): WhereTerm[] {
  return andTerms(whereClause(significant(tokenize(sql))))
    .map(readTerm)
    .filter((t): t is WhereTerm => t !== null);
}
