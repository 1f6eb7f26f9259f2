/**
 * Values for a normalized query's $n placeholders, drawn from the data so a lookup
 * finds rows: the columns compared on one table come from one row of it (so
 * `conversation_id = $1 AND created_at > $2` asks for a real conversation's later
 * messages); a LIMIT gets 20; an INSERT's primary key gets max + 1. The row is chosen
 * deterministically from the query's fingerprint, so runs repeat.
 */
import { createHash } from 'node:crypto';
import type { AnalyzedQuery } from '../analysis/analyze-workload.js';
import { scanTokens } from '../analysis/parse.js';
import type { Engine } from '../engines/engine.js';
import { type Catalog, findTable, type QualifiedName } from '../model/catalog.js';
import { quoteIdentAlways } from '../sql/names.js';

export type ParamValue = string | null;

/** How one placeholder is used: compared with / written to a column, or a LIMIT. */
type Use =
  | {
      readonly kind: 'column';
      readonly table: QualifiedName;
      /** The column, or an expression's SQL (deparsed from the query's parse tree) when `expression`. */
      readonly column: string;
      readonly expression?: boolean;
      readonly as: 'value' | 'pattern' | 'infix' | 'array' | 'upper' | 'key' | PatternUse;
    }
  | { readonly kind: 'limit' };

export function placeholderCount(sql: string): number {
  let highest = 0;
  for (const token of scanTokens(sql) ?? []) if (token.kind === 'PARAM') highest = Math.max(highest, Number(token.text.slice(1)));
  return highest;
}

/**
 * Where each placeholder is used, from the analysis. With `expressions` (PostgreSQL: the
 * analysis writes expressions in its dialect), a placeholder compared with an expression
 * key (`lower(email) = $1`) gets that expression's value on a row.
 */
function placeholderUses(item: AnalyzedQuery, catalog: Catalog, expressions: boolean): Map<number, Use> {
  const uses = new Map<number, Use>();
  const analysis = item.analysis;
  if (analysis === null) return uses;
  for (const access of analysis.accesses) {
    for (const filter of [...access.filters, ...access.orGroups.flat(2)]) {
      if (filter.expression && !expressions) continue;
      (filter.params ?? []).forEach((param, i) => {
        if (uses.has(param)) return;
        const type = filter.expression ? undefined : findTable(catalog, access.table)?.columns.find((c) => c.name === filter.column)?.type;
        const as =
          filter.kind === 'pattern'
            ? patternUse(filter.operator, type)
            : filter.operator.endsWith('ANY')
              ? 'array'
              : filter.operator === 'BETWEEN' && i === 1
                ? 'upper'
                : 'value';
        const expression = filter.expression ? { expression: true } : {};
        uses.set(param, { kind: 'column', table: access.table, column: filter.column, ...expression, as });
      });
    }
  }
  for (const write of analysis.writes) {
    const primaryKey = findTable(catalog, write.table)?.primaryKey ?? [];
    for (const [column, param] of Object.entries(write.valueParams ?? {})) {
      if (uses.has(param)) continue;
      const key = write.kind === 'insert' && primaryKey.length === 1 && primaryKey[0] === column;
      uses.set(param, { kind: 'column', table: write.table, column, as: key ? 'key' : 'value' });
    }
  }
  for (const param of analysis.limitParams) if (!uses.has(param)) uses.set(param, { kind: 'limit' });
  return uses;
}

/** Values made from a row's value for the operators of other index kinds (see patternUse). */
type PatternUse = 'json-key' | 'json-keys' | 'prefix' | 'box' | 'network';

/**
 * What a pattern operator's placeholder gets: a row's own value where the operator
 * compares like with like (jsonb or array containment and overlap: a value contains
 * itself), a piece from inside a row's text for ILIKE (a search for a word, as a trigram
 * index serves it), a key the row's jsonb has for `?` (an array of one for `?|`, `?&`), the
 * row's first characters for `^@`, a box around the row's point for `point <@ $n`, the /24
 * network of the row's IPv4 address for `inet << $n`, else a prefix (`abc%`).
 */
function patternUse(operator: string, type: string | undefined): 'value' | 'pattern' | 'infix' | PatternUse {
  if (operator === '<@' && type === 'point') return 'box';
  if ((type === 'inet' || type === 'cidr') && (operator === '<<' || operator === '<<=')) return 'network';
  if (operator === '@>' || operator === '<@' || operator === '&&') return 'value';
  if (operator === '?') return 'json-key';
  if (operator === '?|' || operator === '?&') return 'json-keys';
  if (operator === '^@') return 'prefix';
  return operator === 'ILIKE' ? 'infix' : 'pattern';
}

/** A key of a jsonb value's text: an object's first key, an array's first string, a string itself; null when it has none. */
function jsonKey(text: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null; // not jsonb (hstore has ? too): no key drawn, the query is skipped saying so
  }
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.find((v): v is string => typeof v === 'string') ?? null;
  return value !== null && typeof value === 'object' ? (Object.keys(value)[0] ?? null) : null;
}

/** A value made from a row's value (drawn as text) for the uses of PatternUse; null when it cannot be made. */
function madeFrom(as: PatternUse, value: string): string | null {
  switch (as) {
    case 'json-key':
      return jsonKey(value);
    case 'json-keys': {
      const key = jsonKey(value);
      return key === null ? null : `{"${key.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"}`;
    }
    case 'prefix':
      return value.slice(0, 3);
    case 'box':
      return `(${value}),(${value})`;
    case 'network': {
      // a host or a network narrower than /24: the /24 that holds it
      const ipv4 = /^(\d+)\.(\d+)\.(\d+)\.\d+(?:\/(\d+))?$/.exec(value);
      return ipv4 === null || Number(ipv4[4] ?? 32) <= 24 ? value : `${ipv4[1]}.${ipv4[2]}.${ipv4[3]}.0/24`;
    }
  }
}

/**
 * A phrase from inside a text, its LIKE wildcards escaped, between %: the two words around
 * the space nearest the middle (`%refund timeout%`), or the middle eight characters of a
 * text with no space.
 */
function infixPattern(value: string): string {
  const middle = Math.floor(value.length / 2);
  const spaces = [...value.matchAll(/ /g)].map((m) => m.index);
  const space = spaces.sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle))[0];
  const piece =
    space === undefined
      ? value.slice(Math.max(0, middle - 4), middle + 4)
      : `${value.slice(0, space).split(' ').pop() ?? ''} ${value.slice(space + 1).split(' ')[0] ?? ''}`;
  return `%${piece.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A deterministic fraction in [0, 1) from a text. */
function fraction(text: string): number {
  return createHash('sha1').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

const from = (table: QualifiedName) => `${quoteIdentAlways(table.schema)}.${quoteIdentAlways(table.name)}`;

/** A use's value in SQL: the quoted column, or the expression (deparsed from the parse tree, never input text) in parentheses. */
const target = (use: { readonly column: string; readonly expression?: boolean }) =>
  use.expression ? `(${use.column})` : quoteIdentAlways(use.column);

/** One row's values of the given columns (or expressions), at a position picked by `seed`. */
async function drawRow(
  engine: Engine,
  catalog: Catalog,
  table: QualifiedName,
  columns: readonly { readonly column: string; readonly expression?: boolean }[],
  seed: string,
): Promise<Record<string, string | null>> {
  const rows = findTable(catalog, table)?.rowEstimate ?? 0;
  const offset = Math.floor(fraction(seed) * Math.max(0, rows - 1));
  // CAST … AS text and LIMIT … OFFSET read the same in PostgreSQL and SQLite
  const list = columns.map((c, i) => `CAST(${target(c)} AS text) AS c${i}`).join(', ');
  const notNull = columns.map((c) => `${target(c)} IS NOT NULL`).join(' AND ');
  // in primary-key order, so the same position is the same row however the table was scanned
  const key = findTable(catalog, table)?.primaryKey ?? [];
  const order = key.length > 0 ? ` ORDER BY ${key.map(quoteIdentAlways).join(', ')}` : '';
  for (const skip of [offset, 0]) {
    const [row] = await engine.query(`SELECT ${list} FROM ${from(table)} WHERE ${notNull}${order} LIMIT 1 OFFSET $1`, [skip]);
    if (row !== undefined) return Object.fromEntries(columns.map((c, i) => [c.column, (row[`c${i}`] as string | null) ?? null]));
  }
  return Object.fromEntries(columns.map((c) => [c.column, null]));
}

async function single(engine: Engine, sql: string): Promise<string | null> {
  const [row] = await engine.query<{ v: string | null }>(sql);
  return row?.v ?? null;
}

const MADE: ReadonlySet<string> = new Set<PatternUse>(['json-key', 'json-keys', 'prefix', 'box', 'network']);
const isMade = (as: string): as is PatternUse => MADE.has(as);

export type ParamResult = { readonly params: ParamValue[] } | { readonly missing: number };

/** Values for $1..$count, or the first placeholder no value can be found for. */
export async function chooseParams(engine: Engine, catalog: Catalog, item: AnalyzedQuery, count: number): Promise<ParamResult> {
  const uses = placeholderUses(item, catalog, (await engine.info()).family === 'postgres');
  const byTable = new Map<string, { table: QualifiedName; columns: Map<string, { column: string; expression?: boolean }> }>();
  for (let param = 1; param <= count; param++) {
    const use = uses.get(param);
    if (use === undefined) return { missing: param };
    if (use.kind === 'column' && use.as !== 'key' && use.as !== 'upper') {
      const key = from(use.table);
      const entry = byTable.get(key) ?? { table: use.table, columns: new Map() };
      entry.columns.set(use.column, use);
      byTable.set(key, entry);
    }
  }
  const rows = new Map<string, Record<string, string | null>>();
  for (const [key, entry] of byTable)
    rows.set(key, await drawRow(engine, catalog, entry.table, [...entry.columns.values()], `${item.query.fingerprint}:${key}`));
  const params: ParamValue[] = [];
  for (let param = 1; param <= count; param++) {
    const use = uses.get(param) as Use;
    if (use.kind === 'limit') {
      params.push('20');
      continue;
    }
    const column = target(use);
    if (use.as === 'key')
      params.push(await single(engine, `SELECT CAST(coalesce(max(${column}), 0) + 1 AS text) AS v FROM ${from(use.table)}`));
    else if (use.as === 'upper') params.push(await single(engine, `SELECT CAST(max(${column}) AS text) AS v FROM ${from(use.table)}`));
    else if (isMade(use.as)) {
      // a value made from the row's: none when the row has nothing to make it from (a jsonb without keys)
      const value = rows.get(from(use.table))?.[use.column] ?? null;
      const made = value === null ? null : madeFrom(use.as, value);
      if (made === null) return { missing: param };
      params.push(made);
    } else {
      const value = rows.get(from(use.table))?.[use.column] ?? null;
      params.push(
        use.as === 'pattern' && value !== null
          ? `${value.slice(0, 3)}%`
          : use.as === 'infix' && value !== null
            ? infixPattern(value)
            : use.as === 'array' && value !== null
              ? `{"${value.replaceAll('"', '\\"')}"}`
              : value,
      );
    }
  }
  return { params };
}
