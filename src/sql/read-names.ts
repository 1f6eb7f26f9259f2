/**
 * Reads back the names `advise --json` and `health --json` print: `public.posts`,
 * `"Bar"."Order Items"`, and key columns as CREATE INDEX writes them
 * (`"Created At" text_pattern_ops DESC NULLS LAST`). The inverse of names.ts and
 * ddl.ts keySql. Pure.
 */
import { InputError } from '../errors.js';
import type { QualifiedName } from '../model/catalog.js';
import { type KeyColumn, keyColumn } from '../model/index-def.js';

interface Token {
  readonly text: string;
  readonly quoted: boolean;
}

/** Splits text into identifiers (quoted or not), dots and words. */
function tokens(text: string): (Token | '.')[] {
  const out: (Token | '.')[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) i++;
    else if (ch === '.') {
      out.push('.');
      i++;
    } else if (ch === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new InputError(`unterminated quoted name in "${text}"`);
        if (text[j] === '"' && text[j + 1] === '"') {
          value += '"';
          j += 2;
        } else if (text[j] === '"') break;
        else value += text[j++];
      }
      out.push({ text: value, quoted: true });
      i = j + 1;
    } else {
      const match = /^[^\s."]+/.exec(text.slice(i)) as RegExpExecArray;
      out.push({ text: match[0], quoted: false });
      i += match[0].length;
    }
  }
  return out;
}

/** An identifier as PostgreSQL reads it: quoted kept as is, unquoted folded to lower case. */
function nameOf(token: Token): string {
  return token.quoted ? token.text : token.text.toLowerCase();
}

/** `schema.table` (or a bare `table`, in `defaultSchema`). */
export function parseQualifiedName(text: string, defaultSchema = 'public'): QualifiedName {
  const parts = tokens(text);
  const [a, dot, b] = parts;
  if (parts.length === 1 && a !== undefined && a !== '.') return { schema: defaultSchema, name: nameOf(a) };
  if (parts.length === 3 && a !== undefined && a !== '.' && dot === '.' && b !== undefined && b !== '.')
    return { schema: nameOf(a), name: nameOf(b) };
  throw new InputError(`cannot read the name "${text}": expected schema.name`);
}

/** One identifier, e.g. an INCLUDE column. */
export function parseIdentifier(text: string): string {
  const parts = tokens(text);
  const [only] = parts;
  if (parts.length !== 1 || only === undefined || only === '.') throw new InputError(`cannot read the column name "${text}"`);
  return nameOf(only);
}

/** The end of a quoted name or string literal that starts at `start` (doubled quotes inside). */
function closingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] !== quote) continue;
    if (text[i + 1] !== quote) return i;
    i++;
  }
  throw new InputError(`unterminated ${quote === '"' ? 'quoted name' : 'string'} in the index column "${text}"`);
}

/**
 * `(expression) [COLLATE …] [ASC|DESC] …`: the expression between its parentheses, as
 * written, and what follows; null when the key is a column. The text is only split here:
 * the migration's checks have the real parser read the expression (migrate/validate.ts).
 */
function splitExpression(text: string): { expression: string; rest: string } | null {
  const start = text.search(/\S/);
  if (text[start] !== '(') return null;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") i = closingQuote(text, i);
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return { expression: text.slice(start + 1, i).trim(), rest: text.slice(i + 1) };
  }
  throw new InputError(`unbalanced parentheses in the index column "${text}"`);
}

/**
 * A key: `name [COLLATE collation] [opclass] [ASC|DESC] [NULLS FIRST|LAST]`, or an
 * expression in parentheses in place of the name (`(lower(email)) DESC`; the columns it
 * reads are not known from the text).
 */
export function parseKeyColumn(text: string): KeyColumn {
  const split = splitExpression(text);
  const all = tokens(split === null ? text : split.rest);
  const first = split === null ? all.shift() : null;
  const rest = all;
  if (first === undefined || first === '.' || split?.expression === '') throw new InputError(`cannot read the index column "${text}"`);
  let collation: string | null = null;
  const collate = rest[0];
  if (collate !== undefined && collate !== '.' && !collate.quoted && collate.text.toUpperCase() === 'COLLATE') {
    const name = rest[1];
    if (name === undefined || name === '.') throw new InputError(`no collation after COLLATE in "${text}"`);
    collation = name.text;
    rest.splice(0, 2);
  }
  const words = rest
    .map((t) => (t === '.' ? '.' : t.text))
    .join(' ')
    .replace(/ \. /g, '.')
    .split(' ')
    .filter((w) => w !== '');
  let opclass: string | null = null;
  if (words[0] !== undefined && !/^(ASC|DESC|NULLS)$/i.test(words[0])) {
    opclass = words.shift() as string;
    if (!/^([a-z_][a-z0-9_$]*\.)?[a-z_][a-z0-9_$]*$/i.test(opclass))
      throw new InputError(`"${opclass}" in "${text}" is not an operator class name`);
  }
  let descending = false;
  if (words[0] !== undefined && /^(ASC|DESC)$/i.test(words[0])) descending = (words.shift() as string).toUpperCase() === 'DESC';
  let nullsFirst: boolean | null = null;
  if (words[0]?.toUpperCase() === 'NULLS' && words[1] !== undefined && /^(FIRST|LAST)$/i.test(words[1])) {
    nullsFirst = words[1].toUpperCase() === 'FIRST';
    words.splice(0, 2);
  }
  if (words.length > 0) throw new InputError(`cannot read the index column "${text}"`);
  if (first === null) return keyColumn(split?.expression ?? '', { opclass, descending, nullsFirst, collation, expression: { reads: [] } });
  return keyColumn(nameOf(first), { opclass, descending, nullsFirst, collation });
}
