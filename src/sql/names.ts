/**
 * Identifier quoting, the one place that decides when a name needs double quotes.
 * Same rule as PostgreSQL's quote_ident(): quote unless the name is a plain
 * lower-case identifier that is not a keyword (unreserved keywords excepted).
 */
import type { QualifiedName } from '../model/catalog.js';

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

export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !KEYWORDS.has(name)) return name;
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
