/**
 * Whether the extensions an index needs (pg_trgm, btree_gin) can be had: installed in
 * this database, available on the server (pg_available_extensions), and creatable by
 * this role — a superuser, or CREATE on the database for a trusted extension (pg_trgm and
 * btree_gin are trusted since PostgreSQL 13). Reads only.
 */
import type { ExtensionStatus } from '../../model/recommendation.js';
import type { Row } from '../engine.js';

const STATUS_SQL = `
SELECT a.name, a.installed_version IS NOT NULL AS installed,
       r.rolsuper OR (coalesce(v.trusted, false) AND has_database_privilege(current_database(), 'CREATE')) AS may_create
  FROM pg_catalog.pg_available_extensions a
  JOIN pg_catalog.pg_roles r ON r.rolname = current_user
  LEFT JOIN pg_catalog.pg_available_extension_versions v ON v.name = a.name AND v.version = a.default_version
 WHERE a.name = ANY($1::text[])`;

export async function extensionStatus(
  query: (sql: string, params: readonly unknown[]) => Promise<Row[]>,
  names: readonly string[],
): Promise<ExtensionStatus[]> {
  if (names.length === 0) return [];
  const rows = await query(STATUS_SQL, [[...names]]);
  return names.map((name) => {
    const row = rows.find((r) => r.name === name);
    return row === undefined
      ? { name, installed: false, available: false, mayCreate: false }
      : { name, installed: row.installed === true, available: true, mayCreate: row.may_create === true };
  });
}
