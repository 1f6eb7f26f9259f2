/**
 * The SQLite advise cases: a schema with data, a workload (in every SQLite parameter
 * style), and what indexwise should recommend — shared by advise.test.ts and the
 * `.expert` comparison (expert.test.ts).
 */
import { series } from './fixture.js';

export interface SqliteCase {
  readonly name: string;
  readonly setup: string;
  /** The workload as a SQL file: `-- calls: N` weights, SQLite text. */
  readonly workload: string;
  /** Each expected recommendation as table(key, key, …) — the leading keys it must start with. */
  readonly expected: readonly string[];
  /** True when no index should be recommended at all. */
  readonly none?: boolean;
  /** Why indexwise leaves out an index `.expert` proposes (expert.test.ts checks this case differs). */
  readonly expertDiffers?: string;
}

const N = 30_000;

export const CASES: readonly SqliteCase[] = [
  {
    name: 'equality',
    setup: `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, plan TEXT);
      INSERT INTO users SELECT x, 'user' || x || '@example.com', 'User ' || x, CASE x % 3 WHEN 0 THEN 'free' ELSE 'team' END FROM ${series(N)};`,
    workload: `-- calls: 100\nSELECT id, name FROM users WHERE email = ?;`,
    expected: ['users(email)'],
  },
  {
    name: 'range with COLLATE NOCASE',
    setup: `CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, title TEXT COLLATE NOCASE, city TEXT);
      INSERT INTO people SELECT x, 'Name' || (x * 7 % ${N}), 'Title' || x, 'City' || (x % 40) FROM ${series(N)};`,
    workload: `-- calls: 50
SELECT id FROM people WHERE name >= :lo COLLATE NOCASE AND name < :hi COLLATE NOCASE;
-- calls: 50
SELECT id FROM people WHERE title > @from ORDER BY title LIMIT 10;`,
    expected: ['people(name COLLATE NOCASE)', 'people(title)'],
  },
  {
    name: 'ORDER BY with mixed directions',
    setup: `CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, at TEXT NOT NULL, score INTEGER NOT NULL, payload TEXT);
      INSERT INTO events SELECT x, 'kind' || (x % 200), datetime('2024-01-01', '+' || (x * 13 % 9000) || ' minutes'), x % 97, 'p' || x FROM ${series(N)};`,
    workload: `-- calls: 80\nSELECT * FROM events WHERE kind = ?1 ORDER BY at DESC, score ASC LIMIT 20;`,
    expected: ['events(kind, at DESC, score)'],
  },
  {
    name: 'multi-table join',
    setup: `CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, city TEXT);
      CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers (id), total REAL, placed_at TEXT);
      INSERT INTO customers SELECT x, 'Customer ' || x, 'City' || (x % 500) FROM ${series(N / 3)};
      INSERT INTO orders SELECT x, 1 + (x * 7919) % ${N / 3}, x % 300, date('2024-01-01', '+' || (x % 700) || ' days') FROM ${series(N)};`,
    workload: `-- calls: 40\nSELECT c.name, o.total FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.city = $city;`,
    expected: ['orders(customer_id)', 'customers(city)'],
  },
  {
    name: 'OR branches',
    setup: `CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT, phone TEXT, name TEXT);
      INSERT INTO contacts SELECT x, 'c' || x || '@example.com', '+1555' || x, 'Contact ' || x FROM ${series(N)};`,
    workload: `-- calls: 60\nSELECT id, name FROM contacts WHERE email = ? OR phone = ?;`,
    expected: ['contacts(email)', 'contacts(phone)'],
  },
  {
    name: 'a WITHOUT ROWID table',
    setup: `CREATE TABLE kv (k TEXT PRIMARY KEY, owner INTEGER NOT NULL, v TEXT) WITHOUT ROWID;
      INSERT INTO kv SELECT 'key' || x, x % 3000, 'value ' || x FROM ${series(N)};`,
    workload: `-- calls: 50\nSELECT v FROM kv WHERE owner = ?;\n-- calls: 500\nSELECT v FROM kv WHERE k = ?;`,
    expected: ['kv(owner)'],
  },
  {
    name: 'a composite primary key that already serves the query',
    setup: `CREATE TABLE order_lines (order_id INTEGER NOT NULL, line INTEGER NOT NULL, sku TEXT, qty INTEGER, PRIMARY KEY (order_id, line));
      INSERT INTO order_lines SELECT 1 + x / 4, x % 4, 'sku' || (x % 900), x % 7 FROM ${series(N)};`,
    workload: `-- calls: 200\nSELECT sku, qty FROM order_lines WHERE order_id = ? ORDER BY line;\n-- calls: 100\nSELECT qty FROM order_lines WHERE order_id = ? AND line = ?;`,
    expected: [],
    none: true,
  },
  {
    name: 'a trigger that updates another table',
    setup: `CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT NOT NULL, orders_count INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE purchases (id INTEGER PRIMARY KEY, account_email TEXT NOT NULL, amount REAL);
      CREATE TRIGGER purchases_count AFTER INSERT ON purchases BEGIN
        UPDATE accounts SET orders_count = orders_count + 1 WHERE email = NEW.account_email;
      END;
      INSERT INTO accounts (id, email) SELECT x, 'a' || x || '@example.com' FROM ${series(N)};`,
    workload: `-- calls: 300\nINSERT INTO purchases (account_email, amount) VALUES (?, ?);`,
    expected: ['accounts(email)'],
  },
  {
    name: 'two queries share one index',
    setup: `CREATE TABLE logs (id INTEGER PRIMARY KEY, host TEXT NOT NULL, at TEXT NOT NULL, level INTEGER, msg TEXT);
      INSERT INTO logs SELECT x, 'host' || (x % 300), datetime('2024-01-01', '+' || (x * 7 % 50000) || ' minutes'), x % 5, 'message ' || x FROM ${series(N)};`,
    workload: `-- calls: 100\nSELECT msg FROM logs WHERE host = ?;\n-- calls: 100\nSELECT msg FROM logs WHERE host = ? AND at > ? ORDER BY at;`,
    expected: ['logs(host, at)'],
  },
  {
    name: 'a write-heavy table where the index does not pay',
    setup: `CREATE TABLE metrics (id INTEGER PRIMARY KEY, sensor INTEGER NOT NULL, value REAL, at TEXT);
      INSERT INTO metrics SELECT x, x % 400, x * 0.5, datetime('2024-01-01', '+' || x || ' seconds') FROM ${series(N)};`,
    workload: `-- calls: 100000\nINSERT INTO metrics (sensor, value, at) VALUES (?, ?, datetime('now'));\n-- calls: 1\nSELECT avg(value) FROM metrics WHERE sensor = ?;`,
    expected: [],
    none: true,
    expertDiffers: 'the index would cost each of 100,000 inserts more than it saves the one query a minute that reads by sensor',
  },
  {
    name: 'quoted table and column names with spaces',
    setup: `CREATE TABLE "Order Items" ("Item Id" INTEGER PRIMARY KEY, "Order No" INTEGER, "Product Name" TEXT, "select" INTEGER);
      INSERT INTO "Order Items" SELECT x, x / 3, 'Product ' || (x % 5000), x % 10 FROM ${series(N)};`,
    workload:
      '-- calls: 70\nSELECT "Item Id", "select" FROM `Order Items` WHERE `Product Name` = ?;\n-- calls: 30\nSELECT * FROM "Order Items" WHERE "Item Id" = ?;',
    expected: ['Order Items("Product Name")'],
  },
];
