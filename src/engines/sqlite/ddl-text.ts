/**
 * What the PRAGMAs do not say, read from the CREATE statements in sqlite_schema: a
 * column's declared collation, the text of an expression key, a trigger's event and
 * statements. Token-based (tokens.ts), never evaluated. Pure.
 */
import type { QualifiedName, Trigger } from '../../model/catalog.js';
import {
  identifierValue,
  isIdentifier,
  isKeyword,
  parenthesized,
  type SqliteToken,
  significant,
  splitTopLevel,
  textOf,
  tokenize,
} from './tokens.js';

const TABLE_CONSTRAINTS = ['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'];

/** column name (lower-case) → declared COLLATE, from a CREATE TABLE statement. */
export function declaredCollations(createTable: string): Map<string, string> {
  const found = new Map<string, string>();
  const body = parenthesized(significant(tokenize(createTable)));
  if (body === null) return found;
  for (const part of splitTopLevel(body.inner, ',')) {
    const [first] = part;
    if (!isIdentifier(first) || isKeyword(first, ...TABLE_CONSTRAINTS)) continue;
    const at = part.findIndex((t) => isKeyword(t, 'COLLATE'));
    const name = part[at + 1];
    if (at > 0 && isIdentifier(name)) found.set(identifierValue(first).toLowerCase(), identifierValue(name));
  }
  return found;
}

/** The key terms of a CREATE INDEX statement, each without its COLLATE and ASC/DESC. */
export function indexKeyTexts(createIndex: string): string[] {
  const tokens = significant(tokenize(createIndex));
  const on = tokens.findIndex((t) => isKeyword(t, 'ON'));
  const body = on < 0 ? null : parenthesized(tokens, on);
  if (body === null) return [];
  return splitTopLevel(body.inner, ',').map((part) => {
    let end = part.length;
    if (isKeyword(part[end - 1], 'ASC', 'DESC')) end--;
    if (end >= 2 && isKeyword(part[end - 2], 'COLLATE')) end -= 2;
    return textOf(createIndex, part.slice(0, end));
  });
}

/** `NEW.x` and `OLD.x` become `?`: a trigger's statement as the query it runs each time. */
function asQuery(sql: string, tokens: readonly SqliteToken[]): string {
  let out = '';
  let cursor = tokens[0]?.start ?? 0;
  const end = tokens[tokens.length - 1]?.end ?? cursor;
  const parts = significant(tokens);
  for (let i = 0; i < parts.length; i++) {
    const t = parts[i] as SqliteToken;
    if (isKeyword(t, 'NEW', 'OLD') && parts[i + 1]?.text === '.' && isIdentifier(parts[i + 2])) {
      out += `${sql.slice(cursor, t.start)}?`;
      cursor = (parts[i + 2] as SqliteToken).end;
      i += 2;
    }
  }
  return (out + sql.slice(cursor, end)).trim();
}

const EVENTS = ['INSERT', 'UPDATE', 'DELETE'] as const;

/** A CREATE TRIGGER statement read into its table, event and statements; null when it cannot be read. */
export function readTrigger(name: string, createTrigger: string, schema: string): Trigger | null {
  const all = tokenize(createTrigger);
  const tokens = significant(all);
  const eventAt = tokens.findIndex((t) => isKeyword(t, ...EVENTS));
  const onAt = tokens.findIndex((t, i) => i > eventAt && isKeyword(t, 'ON'));
  const beginAt = tokens.findIndex((t, i) => i > onAt && isKeyword(t, 'BEGIN'));
  const endAt = tokens.map((t) => isKeyword(t, 'END')).lastIndexOf(true);
  if (eventAt < 0 || onAt < 0 || beginAt < 0 || endAt <= beginAt) return null;
  const event = (tokens[eventAt] as SqliteToken).text.toLowerCase() as Trigger['event'];
  const columns = isKeyword(tokens[eventAt + 1], 'OF')
    ? tokens
        .slice(eventAt + 2, onAt)
        .filter(isIdentifier)
        .map(identifierValue)
    : [];
  const tableToken = tokens[onAt + 2]?.text === '.' ? tokens[onAt + 3] : tokens[onAt + 1];
  if (!isIdentifier(tableToken)) return null;
  const body = all.filter((t) => t.start > (tokens[beginAt] as SqliteToken).start && t.start < (tokens[endAt] as SqliteToken).start);
  const statements = splitTopLevel(body, ';')
    .map((part) => asQuery(createTrigger, part))
    .filter((s) => s !== '');
  const table: QualifiedName = { schema, name: identifierValue(tableToken) };
  return { schema, name, table, event, columns, statements };
}
