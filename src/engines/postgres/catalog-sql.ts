/**
 * Introspection queries for the PostgreSQL family (PostgreSQL ≥ 12, PGlite).
 * Every size and count is cast to float8 so both drivers return plain numbers.
 * User objects only: system schemas and objects owned by an extension are left out.
 */

/** A relation that belongs to the user (alias `c` for pg_class, `n` for its namespace). */
const USER_RELATION = `
  n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')`;

export const SCHEMAS_SQL = `
SELECT n.nspname AS schema
FROM pg_namespace n
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
ORDER BY 1`;

export const SEARCH_PATH_SQL = `SELECT to_json(current_schemas(false)) AS search_path`;

export const TABLES_SQL = `
SELECT n.nspname AS schema,
       c.relname AS name,
       c.relkind::text AS relkind,
       c.relispartition AS is_partition,
       pn.nspname AS parent_schema,
       pc.relname AS parent_name,
       CASE WHEN c.relkind = 'p'
            THEN (SELECT sum(greatest(l.reltuples, 0))::float8
                  FROM pg_partition_tree(c.oid) t JOIN pg_class l ON l.oid = t.relid WHERE t.isleaf)
            WHEN c.reltuples < 0 THEN NULL
            ELSE c.reltuples::float8 END AS row_estimate,
       CASE WHEN c.relkind = 'p'
            THEN (SELECT coalesce(sum(pg_relation_size(t.relid)), 0)::float8 FROM pg_partition_tree(c.oid) t)
            ELSE pg_relation_size(c.oid)::float8 END AS table_bytes,
       CASE WHEN c.relkind = 'p'
            THEN (SELECT coalesce(sum(pg_total_relation_size(t.relid)), 0)::float8 FROM pg_partition_tree(c.oid) t)
            ELSE pg_total_relation_size(c.oid)::float8 END AS total_bytes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
LEFT JOIN pg_class pc ON pc.oid = i.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
WHERE c.relkind IN ('r', 'p', 'm') AND ${USER_RELATION}
ORDER BY 1, 2`;

export const COLUMNS_SQL = `
SELECT n.nspname AS schema,
       c.relname AS table_name,
       a.attname AS name,
       a.attnum::int AS position,
       format_type(a.atttypid, a.atttypmod) AS type,
       NOT a.attnotnull AS nullable,
       a.attgenerated <> '' AS generated,
       s.n_distinct::float8 AS n_distinct,
       s.null_frac::float8 AS null_frac,
       s.correlation::float8 AS correlation,
       s.avg_width::float8 AS avg_width,
       s.attname IS NOT NULL AS has_stats
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN LATERAL (
  SELECT st.attname, st.n_distinct, st.null_frac, st.correlation, st.avg_width
  FROM pg_stats st
  WHERE st.schemaname = n.nspname AND st.tablename = c.relname AND st.attname = a.attname
  ORDER BY (st.inherited = (c.relkind = 'p')) DESC
  LIMIT 1
) s ON true
WHERE c.relkind IN ('r', 'p', 'm') AND a.attnum > 0 AND NOT a.attisdropped AND ${USER_RELATION}
ORDER BY 1, 2, 4`;

export const INDEXES_SQL = `
SELECT n.nspname AS schema,
       c.relname AS name,
       tn.nspname AS table_schema,
       t.relname AS table_name,
       am.amname AS method,
       x.indisunique AS is_unique,
       x.indisprimary AS is_primary,
       x.indisvalid AS is_valid,
       pg_get_indexdef(x.indexrelid) AS definition,
       pg_get_expr(x.indpred, x.indrelid, true) AS predicate,
       CASE WHEN c.relkind = 'I'
            THEN (SELECT coalesce(sum(pg_relation_size(p.relid)), 0)::float8 FROM pg_partition_tree(c.oid) p)
            ELSE pg_relation_size(c.oid)::float8 END AS bytes,
       con.conname AS constraint_name,
       ppn.nspname AS parent_index_schema,
       pp.relname AS parent_index_name,
       (SELECT json_agg(json_build_object(
                 'column', CASE WHEN x.indkey[k.i - 1] <> 0 THEN att.attname END,
                 'expression', CASE WHEN x.indkey[k.i - 1] = 0 THEN pg_get_indexdef(x.indexrelid, k.i, true) END,
                 'option', CASE WHEN k.i <= x.indnkeyatts THEN x.indoption[k.i - 1] ELSE 0 END,
                 'opclass', CASE WHEN k.i <= x.indnkeyatts AND NOT opc.opcdefault THEN opc.opcname END,
                 'collation', CASE WHEN k.i <= x.indnkeyatts AND x.indcollation[k.i - 1] <> 0
                                    AND x.indcollation[k.i - 1] <> coalesce(att.attcollation, 0)
                                    AND x.indcollation[k.i - 1] <> 100
                                   THEN coll.collname END,
                 'isKey', k.i <= x.indnkeyatts)
               ORDER BY k.i)
        FROM generate_series(1, x.indnatts) AS k(i)
        LEFT JOIN pg_attribute att ON att.attrelid = x.indrelid AND att.attnum = x.indkey[k.i - 1] AND x.indkey[k.i - 1] <> 0
        LEFT JOIN pg_opclass opc ON k.i <= x.indnkeyatts AND opc.oid = x.indclass[k.i - 1]
        LEFT JOIN pg_collation coll ON k.i <= x.indnkeyatts AND coll.oid = x.indcollation[k.i - 1]
       ) AS columns
FROM pg_index x
JOIN pg_class c ON c.oid = x.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace tn ON tn.oid = t.relnamespace
JOIN pg_am am ON am.oid = c.relam
LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.contype IN ('p', 'u', 'x')
LEFT JOIN pg_inherits pi ON c.relispartition AND pi.inhrelid = c.oid
LEFT JOIN pg_class pp ON pp.oid = pi.inhparent
LEFT JOIN pg_namespace ppn ON ppn.oid = pp.relnamespace
WHERE t.relkind IN ('r', 'p', 'm')
  AND tn.nspname NOT IN ('pg_catalog', 'information_schema')
  AND tn.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_class'::regclass AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY 3, 4, 2`;

export const FOREIGN_KEYS_SQL = `
SELECT con.conname AS name,
       n.nspname AS schema,
       c.relname AS table_name,
       rn.nspname AS ref_schema,
       rc.relname AS ref_table,
       (SELECT json_agg(a.attname ORDER BY k.ord)
        FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
       (SELECT json_agg(a.attname ORDER BY k.ord)
        FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_class rc ON rc.oid = con.confrelid
JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE con.contype = 'f' AND con.conparentid = 0 AND ${USER_RELATION}
ORDER BY 2, 3, 1`;

export const INFO_SQL = `
SELECT current_setting('server_version') AS server_version,
       current_setting('server_version_num')::int AS server_version_num,
       current_database() AS database,
       (SELECT json_object_agg(e.extname, json_build_object('version', e.extversion, 'schema', en.nspname))
        FROM pg_extension e JOIN pg_namespace en ON en.oid = e.extnamespace) AS extensions`;

export const VIEWS_SQL = `
SELECT n.nspname AS schema, c.relname AS name, pg_get_viewdef(c.oid, true) AS definition
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'v' AND ${USER_RELATION}
ORDER BY 1, 2`;
