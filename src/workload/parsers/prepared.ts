/**
 * SQL-level prepared statements in a log: `statement: EXECUTE name(args)` comes with
 * `DETAIL:  prepare: <the text that held the PREPARE>`. The statement that ran is the
 * PREPARE's body (with its $n), and the EXECUTE's arguments are its values when they are
 * plain literals. Pure.
 */
import { splitScript } from '../sql-text.js';
import { readQuoted } from './message-parts.js';

const IDENT = String.raw`("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const EXECUTE = new RegExp(String.raw`^\s*EXECUTE\s+${IDENT}\s*(?:\(([\s\S]*)\))?\s*;?\s*$`, 'i');
const PREPARE = new RegExp(String.raw`^\s*PREPARE\s+${IDENT}\s*(\((?:[^()]|\([^()]*\))*\))?\s*AS\s+`, 'i');
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** The prepared body and values of an EXECUTE, or null when the line is not one we can read. */
export function preparedExecution(sql: string, detail: string | undefined): { sql: string; params?: (string | null)[] } | null {
  if (detail === undefined || !detail.startsWith('prepare: ')) return null;
  const execute = EXECUTE.exec(sql);
  if (execute === null) return null;
  const name = identifier(execute[1] as string);
  for (const part of splitScript(detail.slice('prepare: '.length))) {
    const prepare = PREPARE.exec(part.sql);
    if (prepare === null || identifier(prepare[1] as string) !== name) continue;
    const body = part.sql.slice(prepare[0].length).trim().replace(/;\s*$/, '');
    const params = execute[2] === undefined ? undefined : literalArguments(execute[2]);
    return params === undefined ? { sql: body } : { sql: body, params };
  }
  return null;
}

/** Unquoted names fold to lower case; quoted ones are kept. */
function identifier(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replaceAll('""', '"') : text.toLowerCase();
}

/** 'text' (with '' for a quote and an optional ::type), numbers and NULL; anything else: undefined. */
function literalArguments(text: string): (string | null)[] | undefined {
  const values: (string | null)[] = [];
  let position = 0;
  while (position < text.length) {
    const rest = text.slice(position);
    const lead = rest.length - rest.trimStart().length;
    position += lead;
    let value: string | null;
    if (text[position] === "'") {
      const quoted = readQuoted(text, position);
      if (quoted === null) return undefined;
      value = quoted.value;
      position = quoted.end;
      const cast = /^::\s*[A-Za-z_][\w ]*(?:\([\d, ]*\))?/.exec(text.slice(position));
      if (cast !== null) position += cast[0].length;
    } else {
      const comma = text.indexOf(',', position);
      const token = text.slice(position, comma < 0 ? text.length : comma).trim();
      if (/^null$/i.test(token)) value = null;
      else if (NUMBER.test(token)) value = token;
      else return undefined;
      position = comma < 0 ? text.length : comma;
    }
    values.push(value);
    const after = text.slice(position).trimStart();
    if (after === '') break;
    if (!after.startsWith(',')) return undefined;
    position = text.length - after.length + 1;
  }
  return values.length === 0 ? undefined : values;
}
