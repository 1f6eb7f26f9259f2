-- unindexed-foreign-key: the evidence for a foreign key without an index on its columns —
-- how many rows each table taking part in a foreign key has inserted, updated and
-- deleted since the statistics were reset (a partitioned table sums its partitions).
-- Each DELETE or key UPDATE on the referenced table looks up the referencing rows, and
-- without an index that lookup scans the whole referencing table.
SELECT n.nspname AS schema,
       c.relname AS table_name,
       coalesce(sum(s.n_tup_ins), 0)::float8 AS inserts,
       coalesce(sum(s.n_tup_upd), 0)::float8 AS updates,
       coalesce(sum(s.n_tup_del), 0)::float8 AS deletes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (SELECT c.oid WHERE c.relkind = 'r'
                    UNION ALL
                    SELECT p.relid FROM pg_partition_tree(c.oid) p WHERE c.relkind = 'p' AND p.isleaf) AS leaf(oid)
LEFT JOIN pg_stat_all_tables s ON s.relid = leaf.oid
WHERE c.relkind IN ('r', 'p')
  AND c.oid IN (SELECT conrelid FROM pg_constraint WHERE contype = 'f'
                UNION SELECT confrelid FROM pg_constraint WHERE contype = 'f')
GROUP BY n.nspname, c.relname
ORDER BY 1, 2
