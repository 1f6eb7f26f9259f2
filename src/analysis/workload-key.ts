/**
 * The key of one workload entry. libpg-query's fingerprint alone would merge queries on
 * different tables: it ignores the table behind an alias (`FROM users u` ≡ `FROM orders u`),
 * collapses digit runs in relation names (`t0036` ≡ `t0190`) and drops the schema
 * (`a.orders` ≡ `b.orders`). The key is that fingerprint refined by the relations the
 * statement names, as written (catalog and schema where written, the parse tree's order),
 * hashed back to 16 lowercase hex digits. Pure.
 */
import { createHash } from 'node:crypto';
import { rangeVars } from './ast.js';
import { fingerprintOf, type ParsedStatement } from './parse.js';

/** Each relation the statement names (FROM items, the table a write changes, CTE references) as [catalog, schema, name], '' where not written. */
export function relationsNamed(stmt: unknown): [string, string, string][] {
  return rangeVars(stmt).map((rangeVar) => [
    String(rangeVar.catalogname ?? ''),
    String(rangeVar.schemaname ?? ''),
    String(rangeVar.relname ?? ''),
  ]);
}

/** The key of a parsed statement: equal for texts that differ only in values, comments and layout. */
export function workloadKey(statement: ParsedStatement): string {
  return createHash('sha256')
    .update(fingerprintOf(statement.sql))
    .update('\u0000')
    .update(JSON.stringify(relationsNamed(statement.stmt)))
    .digest('hex')
    .slice(0, 16);
}
