-- seq-scan-heavy-table: how each table has been read since the statistics were reset —
-- sequential scans, the rows they read, and index scans — with its size. Large tables
-- read mostly by sequential scans usually lack an index their queries need. Partitions
-- are listed one by one (each has its own counters); a partitioned table has none.
SELECT s.schemaname AS schema,
       s.relname AS table_name,
       greatest(c.reltuples, s.n_live_tup, 0)::float8 AS rows,
       pg_relation_size(c.oid)::float8 AS bytes,
       coalesce(s.seq_scan, 0)::float8 AS seq_scans,
       coalesce(s.seq_tup_read, 0)::float8 AS seq_rows_read,
       coalesce(s.idx_scan, 0)::float8 AS index_scans
FROM pg_stat_user_tables s
JOIN pg_class c ON c.oid = s.relid
WHERE c.relkind IN ('r', 'm')
ORDER BY 1, 2
