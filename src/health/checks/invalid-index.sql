-- invalid-index: indexes marked invalid (indisvalid = false), usually left behind by a
-- failed CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY. They are maintained on every
-- write but never used. Indexes a CREATE INDEX is building right now are left out.
SELECT n.nspname AS schema,
       c.relname AS index_name,
       tn.nspname AS table_schema,
       t.relname AS table_name,
       pg_relation_size(c.oid)::float8 AS bytes,
       pg_get_indexdef(c.oid) AS definition
FROM pg_index x
JOIN pg_class c ON c.oid = x.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace tn ON tn.oid = t.relnamespace
WHERE NOT x.indisvalid
  AND tn.nspname NOT IN ('pg_catalog', 'information_schema')
  AND tn.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = x.indexrelid)
ORDER BY 1, 2
