/**
 * Column roles for many query shapes, against a catalog read from a real database
 * (PGlite: the same PostgreSQL parser and catalog queries as a server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql } from '../src/analysis/analyze-query.js';
import { loadParser } from '../src/analysis/parse.js';
import type { ColumnUse, QueryAnalysis, TableAccess } from '../src/model/analysis.js';
import type { Catalog } from '../src/model/catalog.js';
import { PGLITE, type TestEngine } from './helpers/engines.js';

const SCHEMA = `
CREATE TABLE users (id bigint PRIMARY KEY, email text, name text, status text, active boolean, created_at timestamptz, deleted_at timestamptz);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, status text, total numeric, created_at timestamptz, shipped_at timestamptz);
CREATE TABLE order_items (order_id bigint, product_id bigint, quantity int, price numeric);
CREATE TABLE products (id bigint PRIMARY KEY, sku text, name text, category text);
CREATE TABLE "Order Items" ("Order Id" bigint, "select" int, note text);
CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."Invoices" ("Id" bigint, "customerId" bigint, "issuedAt" date);
CREATE VIEW active_users AS SELECT id, email, name FROM users WHERE deleted_at IS NULL;
CREATE TABLE events (id bigint, at date NOT NULL, kind text) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
`;

let db: TestEngine;
let catalog: Catalog;

beforeAll(async () => {
  await loadParser();
  db = await PGLITE.open('analysis');
  await db.setup(SCHEMA);
  catalog = await db.engine.catalog();
});
afterAll(async () => db?.cleanup());

const analyze = (sql: string, constantLiterals: 'all' | 'none' = 'all') => analyzeSql(sql, catalog, { constantLiterals });
const access = (a: QueryAnalysis, table: string, alias?: string): TableAccess => {
  const found = a.accesses.find((x) => x.table.name === table && (alias === undefined || x.alias === alias));
  if (!found) throw new Error(`no access to ${table} in ${JSON.stringify(a.accesses.map((x) => x.table.name))}`);
  return found;
};
const roles = (a: QueryAnalysis, table: string): string[] =>
  a.uses
    .filter((u: ColumnUse) => u.table.name === table && u.role !== 'select')
    .map((u) => `${u.column}:${u.role}${u.detail ? `:${u.detail}` : ''}`)
    .sort();
const filters = (x: TableAccess) => x.filters.map((f) => `${f.column} ${f.operator} ${f.operand}`);

describe('column roles', () => {
  it('1. equality with a parameter', () => {
    const a = analyze('SELECT id FROM users WHERE email = $1');
    expect(filters(access(a, 'users'))).toEqual(['email = param']);
    expect(roles(a, 'users')).toEqual(['email:equality:=']);
  });

  it('2. equality with the value on the left', () => {
    expect(filters(access(analyze('SELECT id FROM users WHERE $1 = email'), 'users'))).toEqual(['email = param']);
  });

  it('3. range operators, flipped when the column is on the right', () => {
    const a = analyze('SELECT id FROM orders WHERE created_at >= $1 AND $2 > total');
    expect(filters(access(a, 'orders'))).toEqual(['created_at >= param', 'total < param']);
  });

  it('4. BETWEEN is a range', () => {
    expect(roles(analyze('SELECT 1 FROM orders WHERE created_at BETWEEN $1 AND $2'), 'orders')).toEqual(['created_at:range:BETWEEN']);
  });

  it('5. IN list of constants is equality with a constant predicate', () => {
    const f = access(analyze("SELECT 1 FROM orders WHERE status IN ('new', 'paid')"), 'orders').filters[0];
    expect(f).toMatchObject({ kind: 'equality', operator: 'IN', operand: 'constant', constantSql: "status IN ('new', 'paid')" });
  });

  it('6. = ANY($1) is equality', () => {
    expect(filters(access(analyze('SELECT 1 FROM orders WHERE user_id = ANY($1)'), 'orders'))).toEqual(['user_id = ANY param']);
  });

  it('7. NOT IN is not an index condition', () => {
    const a = analyze('SELECT 1 FROM orders WHERE status NOT IN ($1, $2)');
    expect(access(a, 'orders').filters[0]?.kind).toBe('inequality');
    expect(roles(a, 'orders')).toEqual([]);
  });

  it('8. LIKE with a constant prefix is a prefix filter', () => {
    expect(roles(analyze("SELECT 1 FROM products WHERE sku LIKE 'AB-%'"), 'products')).toEqual(['sku:prefix:LIKE']);
  });

  it('9. LIKE with a leading wildcard is not indexable, and says so', () => {
    const a = analyze("SELECT 1 FROM products WHERE name LIKE '%phone%'");
    expect(roles(a, 'products')).toEqual(['name:infix:LIKE']);
    expect(a.notes.join(' ')).toMatch(/cannot use a b-tree/);
  });

  it('10. IS NULL and IS NOT NULL are constant predicates', () => {
    const f = access(analyze('SELECT 1 FROM users WHERE deleted_at IS NULL AND email IS NOT NULL'), 'users').filters;
    expect(f.map((x) => x.constantSql)).toEqual(['deleted_at IS NULL', 'email IS NOT NULL']);
  });

  it('11. a boolean column on its own, and negated', () => {
    expect(access(analyze('SELECT 1 FROM users WHERE active'), 'users').filters[0]?.constantSql).toBe('active');
    expect(access(analyze('SELECT 1 FROM users WHERE NOT active'), 'users').filters[0]?.constantSql).toBe('NOT active');
  });

  it('12. a literal is a constant predicate in a hand-written query, a parameter otherwise', () => {
    expect(access(analyze("SELECT 1 FROM users WHERE status = 'active'"), 'users').filters[0]?.constantSql).toBe("status = 'active'");
    expect(access(analyze("SELECT 1 FROM users WHERE status = 'active'", 'none'), 'users').filters[0]?.constantSql).toBeUndefined();
  });

  it('13. join with aliases gives join keys on both sides', () => {
    const a = analyze('SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = $1');
    expect(access(a, 'orders', 'o').joins).toEqual([
      { column: 'user_id', other: { table: { schema: 'public', name: 'users' }, column: 'id' } },
    ]);
    expect(roles(a, 'users')).toEqual(['email:equality:=', 'id:join']);
  });

  it('14. implicit join in WHERE, three tables', () => {
    const a = analyze(
      'SELECT p.name FROM orders o, order_items i, products p WHERE i.order_id = o.id AND p.id = i.product_id AND o.user_id = $1',
    );
    expect(roles(a, 'order_items')).toEqual(['order_id:join', 'product_id:join']);
    expect(roles(a, 'orders')).toEqual(['id:join', 'user_id:equality:=']);
  });

  it('15. JOIN … USING', () => {
    const a = analyze('SELECT 1 FROM order_items a JOIN order_items b USING (order_id)');
    expect(access(a, 'order_items', 'a').joins[0]?.column).toBe('order_id');
  });

  it('16. LEFT JOIN with a filter in ON', () => {
    const a = analyze("SELECT u.id FROM users u LEFT JOIN orders o ON o.user_id = u.id AND o.status = 'open'");
    expect(filters(access(a, 'orders'))).toEqual(['status = constant']);
    expect(roles(a, 'orders')).toContain('user_id:join');
  });

  it('17. ORDER BY DESC NULLS LAST on one table, with LIMIT', () => {
    const x = access(analyze('SELECT id FROM orders WHERE user_id = $1 ORDER BY created_at DESC NULLS LAST, id LIMIT 10'), 'orders');
    expect(x.orderBy).toEqual([
      { column: 'created_at', descending: true, nullsFirst: false },
      { column: 'id', descending: false, nullsFirst: null },
    ]);
    expect(x.limited).toBe(true);
  });

  it('18. ORDER BY an output alias and a position', () => {
    const x = access(analyze('SELECT created_at AS c, total FROM orders ORDER BY c, 2 DESC'), 'orders');
    expect(x.orderBy.map((k) => `${k.column}${k.descending ? ' DESC' : ''}`)).toEqual(['created_at', 'total DESC']);
  });

  it('19. ORDER BY across two tables is no single-table sort', () => {
    const a = analyze('SELECT 1 FROM orders o JOIN users u ON u.id = o.user_id ORDER BY u.name, o.created_at');
    expect(access(a, 'orders').orderBy).toEqual([]);
    expect(roles(a, 'users')).toContain('name:order:ASC');
  });

  it('20. GROUP BY and aggregates', () => {
    const a = analyze('SELECT user_id, count(*) FROM orders WHERE created_at > $1 GROUP BY user_id');
    expect(access(a, 'orders').groupBy).toEqual(['user_id']);
    expect(roles(a, 'orders')).toEqual(['created_at:range:>', 'user_id:group']);
  });

  it('21. DISTINCT', () => {
    expect(roles(analyze('SELECT DISTINCT category FROM products'), 'products')).toEqual(['category:distinct']);
  });

  it('22. OR branches become an OR group', () => {
    const x = access(analyze('SELECT 1 FROM users WHERE email = $1 OR name = $2'), 'users');
    expect(x.filters).toEqual([]);
    expect(x.orGroups.map((g) => g.map((b) => b.map((f) => f.column)))).toEqual([[['email'], ['name']]]);
  });

  it('23. CTE: conditions on an inlined CTE reach its base table', () => {
    const a = analyze(
      'WITH recent AS (SELECT id, user_id, created_at FROM orders) SELECT id FROM recent WHERE user_id = $1 ORDER BY created_at',
    );
    expect(filters(access(a, 'orders'))).toEqual(['user_id = param']);
    expect(access(a, 'orders').orderBy[0]?.column).toBe('created_at');
  });

  it('24. MATERIALIZED CTE: outer conditions stay outside', () => {
    const a = analyze(
      'WITH recent AS MATERIALIZED (SELECT id, user_id FROM orders WHERE status = $2) SELECT id FROM recent WHERE user_id = $1',
    );
    expect(filters(access(a, 'orders'))).toEqual(['status = param']);
  });

  it('25. subquery in FROM', () => {
    const a = analyze('SELECT s.id FROM (SELECT id, email FROM users WHERE status = $1) s WHERE s.email = $2');
    expect(filters(access(a, 'users'))).toEqual(['status = param', 'email = param']);
  });

  it('26. IN (sub-select) is a semi-join', () => {
    const a = analyze('SELECT id FROM users WHERE id IN (SELECT user_id FROM orders WHERE total > $1)');
    expect(roles(a, 'orders')).toEqual(['total:range:>', 'user_id:join']);
    expect(roles(a, 'users')).toContain('id:join');
  });

  it('27. correlated EXISTS: the inner column is compared with the outer row', () => {
    const a = analyze('SELECT u.id FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.status = $1)');
    expect(filters(access(a, 'orders'))).toEqual(['user_id = outer', 'status = param']);
  });

  it('28. views are expanded to their base tables', () => {
    const a = analyze('SELECT id FROM active_users WHERE email = $1');
    expect(filters(access(a, 'users'))).toEqual(['deleted_at IS NULL constant', 'email = param']);
  });

  it('29. quoted and schema-qualified names', () => {
    const a = analyze('SELECT "select" FROM "Order Items" oi WHERE oi."Order Id" = $1');
    expect(roles(a, 'Order Items')).toEqual(['Order Id:equality:=']);
    const b = analyze('SELECT "Id" FROM "Sales"."Invoices" WHERE "customerId" = $1 ORDER BY "issuedAt" DESC');
    expect(access(b, 'Invoices').table).toEqual({ schema: 'Sales', name: 'Invoices' });
    expect(roles(b, 'Invoices')).toEqual(['customerId:equality:=', 'issuedAt:order:DESC']);
  });

  it('30. a partition is analyzed as its partitioned parent', () => {
    const a = analyze('SELECT id FROM events_2024 WHERE kind = $1');
    expect(access(a, 'events').table).toEqual({ schema: 'public', name: 'events' });
  });

  it('31. UPDATE with WHERE: a filter on the target and written columns', () => {
    const a = analyze('UPDATE orders SET status = $2, shipped_at = now() WHERE id = $1');
    expect(a.kind).toBe('update');
    expect(filters(access(a, 'orders'))).toEqual(['id = param']);
    expect(a.writes).toEqual([
      { table: { schema: 'public', name: 'orders' }, kind: 'update', updatedColumns: ['status', 'shipped_at'], valueParams: { status: 2 } },
    ]);
  });

  it('31b. the $n placeholders: which column each is compared with or written to, and LIMIT', () => {
    const a = analyze('SELECT id FROM orders WHERE user_id = $1 AND created_at BETWEEN $2 AND $3 AND status IN ($4, $5) LIMIT $6');
    expect(access(a, 'orders').filters.map((f) => [f.column, f.params])).toEqual([
      ['user_id', [1]],
      ['created_at', [2, 3]],
      ['status', [4, 5]],
    ]);
    expect(a.limitParams).toEqual([6]);
    const insert = analyze('INSERT INTO orders (id, user_id, status) VALUES ($1, $2::bigint, now())');
    expect(insert.writes[0]?.valueParams).toEqual({ id: 1, user_id: 2 });
  });

  it('32. DELETE with USING and WHERE', () => {
    const a = analyze('DELETE FROM order_items i USING orders o WHERE i.order_id = o.id AND o.status = $1');
    expect(a.writes[0]?.kind).toBe('delete');
    expect(roles(a, 'order_items')).toEqual(['order_id:join']);
  });

  it('33. INSERT … SELECT reads one table and writes another', () => {
    const a = analyze('INSERT INTO order_items (order_id, product_id) SELECT $1, id FROM products WHERE category = $2');
    expect(a.writes.map((w) => w.table.name)).toEqual(['order_items']);
    expect(filters(access(a, 'products'))).toEqual(['category = param']);
  });

  it('34. row comparison for keyset pagination', () => {
    const x = access(
      analyze('SELECT id FROM orders WHERE user_id = $1 AND (created_at, id) < ($2, $3) ORDER BY created_at DESC, id DESC'),
      'orders',
    );
    expect(filters(x)).toEqual(['user_id = param', 'created_at (row) < param', 'id (row) < param']);
  });

  it('35. a function of a column is an expression key, not the column', () => {
    const a = analyze('SELECT id FROM users u WHERE lower(u.email) = $1');
    expect(access(a, 'users').filters).toEqual([
      { column: 'lower(email)', expression: { reads: ['email'] }, kind: 'equality', operator: '=', operand: 'param', params: [1] },
    ]);
    expect(roles(a, 'users')).toEqual(['lower(email):equality:=']);
    expect(a.uses.find((u) => u.role === 'equality')?.expression).toEqual({ reads: ['email'] });
    expect(access(a, 'users').columnsRead).toContain('email');
    expect(a.notes).toEqual(['lower(email) is compared: only an index on that expression can serve it']);
  });

  it('35b. expression keys: operators, casts, coalesce, IN, ranges, ORDER BY, joins — deparsed unqualified', () => {
    const keys = (sql: string, table = 'users') => {
      const x = access(analyze(sql), table);
      return [
        ...x.filters.map((f) => `${f.column} ${f.kind}`),
        ...x.orderBy.map((o) => `${o.column} order`),
        ...x.joins.map((j) => `${j.column} join`),
      ];
    };
    expect(keys("SELECT id FROM users WHERE (email || '@') = $1")).toEqual(["email || '@' equality"]);
    expect(keys('SELECT id FROM orders o WHERE o.created_at::date = $1', 'orders')).toEqual(['created_at::date equality']);
    expect(keys("SELECT id FROM orders WHERE date_trunc('day', created_at) >= $1", 'orders')).toEqual([
      "date_trunc('day', created_at) range",
    ]);
    expect(keys('SELECT id FROM users WHERE coalesce(name, email) IN ($1, $2)')).toEqual(['coalesce(name, email) equality']);
    expect(keys('SELECT id FROM users WHERE lower(name) BETWEEN $1 AND $2')).toEqual(['lower(name) range']);
    expect(keys('SELECT id FROM orders WHERE (total * 2)::integer = 4', 'orders')).toEqual(['(total * 2)::integer equality']);
    expect(keys('SELECT id FROM users ORDER BY lower(name) DESC LIMIT 10')).toEqual(['lower(name) order']);
    expect(keys('SELECT u.id FROM users u JOIN orders o ON lower(o.status) = lower(u.status)')).toEqual(['lower(status) join']);
    // not keys: a $n inside the expression, two tables, an aggregate, a sub-select
    expect(keys('SELECT id FROM users WHERE lower(email || $2) = $1')).toEqual([]);
    expect(keys('SELECT u.id FROM users u, orders o WHERE u.id + o.id = $1')).toEqual([]);
    expect(keys('SELECT u.id FROM users u, orders o WHERE u.id + o.id = $1', 'orders')).toEqual([]); // the same column name on both
    // two columns of one table compared: no index on an expression serves it, and no note says one would
    expect(analyze('SELECT id FROM orders WHERE user_id = id + 1').notes).toEqual([]);
    expect(keys('SELECT id FROM users WHERE (SELECT max(id) FROM orders) + id = $1')).toEqual([]);
  });

  it('36. selected columns, SELECT *, and covering', () => {
    expect(access(analyze('SELECT id, email FROM users WHERE status = $1'), 'users').columnsRead).toEqual(['email', 'id', 'status']);
    expect(access(analyze('SELECT * FROM users WHERE status = $1'), 'users').allColumns).toBe(true);
  });

  it('37. tables not in the schema are reported; catalog-only queries are marked', () => {
    const a = analyze('SELECT * FROM no_such_table WHERE x = 1');
    expect(a.unknownTables).toEqual(['no_such_table']);
    expect(analyze('SELECT relname FROM pg_class WHERE oid = $1').noUserTables).toBe(true);
    expect(analyze('SELECT 1').noUserTables).toBe(true);
  });

  it('38. UNION branches are each analyzed', () => {
    const a = analyze('SELECT id FROM users WHERE email = $1 UNION ALL SELECT id FROM orders WHERE status = $2');
    expect(a.accesses.map((x) => x.table.name).sort()).toEqual(['orders', 'users']);
  });

  it('39. the same table twice gives two accesses', () => {
    const a = analyze('SELECT 1 FROM orders a JOIN orders b ON b.user_id = a.user_id WHERE a.id = $1');
    expect(a.accesses.filter((x) => x.table.name === 'orders')).toHaveLength(2);
    expect(filters(access(a, 'orders', 'a'))).toEqual(['id = param']);
  });

  it('40. a data-modifying CTE is a write', () => {
    const a = analyze('WITH gone AS (DELETE FROM orders WHERE created_at < $1 RETURNING id) SELECT count(*) FROM gone');
    expect(a.writes.map((w) => `${w.kind} ${w.table.name}`)).toEqual(['delete orders']);
    expect(filters(access(a, 'orders'))).toEqual(['created_at < param']);
  });
});
