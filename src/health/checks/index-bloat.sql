-- index-bloat: an estimate of the space btree indexes waste, from the statistics alone.
-- The expected size of an index is its tuple count (pg_class.reltuples) times the size of
-- one entry — an 8-byte tuple header (16 with a null bitmap) plus the average width of
-- each column as pg_stats saw it, rounded up to 8 bytes, plus a 4-byte line pointer —
-- packed into pages of block_size minus the page header (24 bytes) and the btree special
-- space (16 bytes), filled to the index's fillfactor (90 unless set), plus the meta page.
-- What the index occupies beyond that is counted as wasted. Indexes without statistics
-- for every column (never analyzed) get a null estimate. Leaf indexes only: a partitioned
-- index has no storage of its own.
WITH settings AS (
  SELECT current_setting('block_size')::float8 AS bs
),
indexes AS (
  SELECT c.oid, n.nspname AS schema, c.relname AS index_name, tn.nspname AS table_schema, t.relname AS table_name,
         x.indnatts, c.reltuples::float8 AS reltuples, c.relpages::float8 AS relpages,
         coalesce((SELECT substring(o FROM 'fillfactor=([0-9]+)')::float8
                   FROM unnest(c.reloptions) o WHERE o LIKE 'fillfactor=%'), 90) AS fillfactor,
         x.indrelid, x.indkey
  FROM pg_index x
  JOIN pg_class c ON c.oid = x.indexrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace tn ON tn.oid = t.relnamespace
  JOIN pg_am am ON am.oid = c.relam
  WHERE am.amname = 'btree' AND c.relkind = 'i' AND x.indisvalid
    AND tn.nspname NOT IN ('pg_catalog', 'information_schema')
    AND tn.nspname !~ '^pg_(toast|temp_|toast_temp_)'
),
columns AS (
  -- one row per index column: the table column's statistics, or the index expression's
  SELECT i.oid, coalesce(ts.avg_width, es.avg_width)::float8 AS avg_width, coalesce(ts.null_frac, es.null_frac)::float8 AS null_frac
  FROM indexes i
  CROSS JOIN LATERAL generate_series(1, i.indnatts) AS k(i)
  JOIN pg_attribute ia ON ia.attrelid = i.oid AND ia.attnum = k.i
  LEFT JOIN pg_attribute ta ON ta.attrelid = i.indrelid AND ta.attnum = i.indkey[k.i - 1] AND i.indkey[k.i - 1] <> 0
  LEFT JOIN pg_stats ts ON NOT ts.inherited
    AND ts.schemaname = i.table_schema AND ts.tablename = i.table_name AND ts.attname = ta.attname
  LEFT JOIN pg_stats es ON NOT es.inherited AND ta.attname IS NULL
    AND es.schemaname = i.schema AND es.tablename = i.index_name AND es.attname = ia.attname
),
entries AS (
  SELECT oid, count(avg_width) AS with_stats,
         8 * ceil(((CASE WHEN max(null_frac) > 0 THEN 16 ELSE 8 END) + sum((1 - null_frac) * avg_width)) / 8) AS entry_bytes
  FROM columns
  GROUP BY oid
)
SELECT i.oid::text AS oid, i.schema, i.index_name, i.table_schema, i.table_name,
       pg_relation_size(i.oid)::float8 AS bytes, i.fillfactor, st.bs AS block_size,
       CASE WHEN e.with_stats = i.indnatts AND i.reltuples >= 0 THEN
         st.bs * (1 + ceil(i.reltuples / greatest(1, floor((st.bs - 24 - 16) * i.fillfactor / 100 / (e.entry_bytes + 4)))))
       END::float8 AS expected_bytes
FROM indexes i
CROSS JOIN settings st
LEFT JOIN entries e ON e.oid = i.oid
ORDER BY 2, 3
