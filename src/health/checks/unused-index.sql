-- unused-index: how many times each index has been scanned since the statistics were
-- last reset, with its size and definition, and how old those statistics are. A
-- partitioned index counts the scans and sizes of its partitions' indexes; indexes
-- attached to a parent index are counted there, not listed. The statistics start at
-- pg_stat_database.stats_reset, or at server start when this database was never reset
-- (a lower bound on their age). One row with a null index when there are no indexes.
WITH since AS (
  SELECT coalesce(d.stats_reset, pg_postmaster_start_time()) AS at,
         d.stats_reset IS NOT NULL AS from_reset
  FROM pg_stat_database d
  WHERE d.datname = current_database()
),
usage AS (
  SELECT n.nspname AS schema,
         c.relname AS index_name,
         tn.nspname AS table_schema,
         t.relname AS table_name,
         pg_get_indexdef(c.oid) AS definition,
         u.scans, u.tuples_read, u.bytes
  FROM pg_index x
  JOIN pg_class c ON c.oid = x.indexrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace tn ON tn.oid = t.relnamespace
  CROSS JOIN LATERAL (
    SELECT coalesce(sum(s.idx_scan), 0)::float8 AS scans,
           coalesce(sum(s.idx_tup_read), 0)::float8 AS tuples_read,
           coalesce(sum(pg_relation_size(leaf.oid)), 0)::float8 AS bytes
    FROM (SELECT c.oid WHERE c.relkind = 'i'
          UNION ALL
          SELECT p.relid FROM pg_partition_tree(c.oid) p WHERE c.relkind = 'I' AND p.isleaf) AS leaf(oid)
    LEFT JOIN pg_stat_all_indexes s ON s.indexrelid = leaf.oid
  ) u
  WHERE NOT c.relispartition
    AND tn.nspname NOT IN ('pg_catalog', 'information_schema')
    AND tn.nspname !~ '^pg_(toast|temp_|toast_temp_)'
)
SELECT u.*,
       to_char(s.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS stats_since,
       s.from_reset,
       (extract(epoch FROM now() - s.at) / 86400)::float8 AS stats_age_days
FROM since s
LEFT JOIN usage u ON true
ORDER BY u.schema, u.index_name
