/**
 * Identifier quoting, the one place that decides when a name needs double quotes.
 * Same rule as PostgreSQL's quote_ident(): quote unless the name is a plain
 * lower-case identifier that is not a keyword (unreserved keywords excepted). SQLite
 * text also quotes SQLite's own keywords (`index`, `key`, `plan`, …): PostgreSQL leaves
 * many of them unreserved, SQLite's parser does not take them all as names.
 */
import type { QualifiedName } from '../model/catalog.js';
import type { Dialect } from './dialect.js';

// PostgreSQL's reserved, type/function-name and column-name keywords (kwlist.h).
const KEYWORDS = new Set(
  `all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case cast
char character check coalesce collate collation column concurrently constraint create cross current_catalog current_date
current_role current_schema current_time current_timestamp current_user dec decimal default deferrable desc distinct do
else end except exists extract false fetch float for foreign freeze from full grant greatest group grouping having ilike
in initially inner inout int integer intersect interval into is isnull join json json_array json_arrayagg json_exists
json_object json_objectagg json_query json_scalar json_serialize json_table json_value lateral leading least left like
limit localtime localtimestamp merge_action national natural nchar none normalize not notnull null nullif numeric offset
on only or order out outer overlaps overlay placing position precision primary real references returning right row
select session_user setof similar smallint some substring symmetric system_user table tablesample then time timestamp
to trailing treat trim true union unique user using values varchar variadic verbose when where window with xmlattributes
xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable`.split(/\s+/),
);

// SQLite's keywords (https://sqlite.org/lang_keywords.html, 147 of them in 3.53).
const SQLITE_KEYWORDS = new Set(
  `abort action add after all alter always analyze and as asc attach autoincrement before begin between by cascade case
cast check collate column commit conflict constraint create cross current current_date current_time current_timestamp
database default deferrable deferred delete desc detach distinct do drop each else end escape except exclude exclusive
exists explain fail filter first following for foreign from full generated glob group groups having if ignore immediate
in index indexed initially inner insert instead intersect into is isnull join key last left like limit match materialized
natural no not nothing notnull null nulls of offset on or order others outer over partition plan pragma preceding primary
query raise range recursive references regexp reindex release rename replace restrict returning right rollback row rows
savepoint select set table temp temporary then ties to transaction trigger unbounded union unique update using vacuum
values view virtual when where window with without`.split(/\s+/),
);

export function quoteIdent(name: string): string {
  return quoteIdentIn(name, 'postgres');
}

/** quoteIdent for text one dialect reads. */
export function quoteIdentIn(name: string, dialect: Dialect): string {
  const keyword = KEYWORDS.has(name) || (dialect === 'sqlite' && SQLITE_KEYWORDS.has(name));
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !keyword) return name;
  return `"${name.replaceAll('"', '""')}"`;
}

/** Always quoted: for SQL we send, where readability does not matter. */
export function quoteIdentAlways(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `schema.table`, quoting each part only where needed. */
export function formatQualified(name: QualifiedName): string {
  return `${quoteIdent(name.schema)}.${quoteIdent(name.name)}`;
}
