/**
 * The workload that made verify write (issue 15): a data-modifying WITH, nextval(), FOR
 * UPDATE, a volatile function that inserts, SELECT INTO, a session advisory lock, a function
 * declared STABLE that writes through a volatile one (called by the planner too, to estimate
 * `k = sneaky(19)`), and one plain read; and what the
 * database looks like when none of it was kept.
 */
import type { Engine } from '../../src/engines/engine.js';

export const HOSTILE_SETUP = `
CREATE TABLE items (id int PRIMARY KEY, k int NOT NULL, note text);
INSERT INTO items SELECT g, g % 100, 'n' || g FROM generate_series(1, 2000) g;
CREATE TABLE audit (id int);
CREATE SEQUENCE ticket_seq;
SELECT nextval('ticket_seq');
CREATE FUNCTION log_visit(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit (id) VALUES (x); RETURN x; END $$;
-- declared STABLE, yet it writes through the volatile function it calls: only the READ ONLY transaction stops it
CREATE FUNCTION sneaky(x int) RETURNS int STABLE LANGUAGE plpgsql AS $$ BEGIN RETURN log_visit(x); END $$;
ANALYZE items;
`;

export const HOSTILE_WORKLOAD = `-- name: cte-insert
WITH i AS (INSERT INTO audit (id) VALUES (7) RETURNING id) SELECT id FROM i;
-- name: cte-delete
WITH d AS (DELETE FROM items WHERE k = 3 RETURNING id) SELECT count(*) FROM d;
-- name: nextval
SELECT nextval('ticket_seq'), id FROM items WHERE k = 5;
-- name: for-update
SELECT id FROM items WHERE k = 7 FOR UPDATE;
-- name: volatile-function
SELECT log_visit(id) FROM items WHERE k = 9;
-- name: select-into
SELECT id INTO items_copy FROM items WHERE k = 11;
-- name: advisory-lock
SELECT pg_advisory_lock(42), id FROM items WHERE k = 13;
-- name: stable-but-writes
SELECT sneaky(id) FROM items WHERE k = 15;
-- name: stable-in-where
SELECT id FROM items WHERE k = sneaky(19);
-- name: plain-read
SELECT id, note FROM items WHERE k = 17;
`;

/** The database as HOSTILE_SETUP left it, or what changed. */
export async function hostileState(observer: Engine): Promise<Record<string, unknown>> {
  const [row] = await observer.query(`SELECT (SELECT count(*)::int FROM items) AS items, (SELECT count(*)::int FROM audit) AS audit,
    (SELECT last_value::int FROM ticket_seq) AS sequence, to_regclass('items_copy') IS NULL AS no_copy,
    (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory') AS advisory_locks`);
  return row ?? {};
}
export const UNTOUCHED = { items: 2000, audit: 0, sequence: 1, no_copy: true, advisory_locks: 0 };
