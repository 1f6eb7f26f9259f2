/**
 * Issue 17's SQLite cases — where `.expert` found a faster index and indexwise none — and
 * their neighbours that should get no index, on 5,000-row tables (a 10-row one for the
 * tiny-table neighbour). Shared by expert-cases.test.ts (what is recommended) and
 * bench/advise/sqlite-expert.ts (how much faster it measures).
 */
import { series } from './fixture.js';

const N = 5_000;

export const EXPERT_TABLES = {
  /** PRIMARY KEY (site, seq): 50 sites, so SQLite skip-scans it for `seq = ?`; 997 seq values (about 5 rows each). */
  readings: `CREATE TABLE readings (site INTEGER NOT NULL, seq INTEGER NOT NULL, value REAL, note TEXT, PRIMARY KEY (site, seq));
    INSERT INTO readings SELECT x % 50, x % 997, x * 0.5, 'note ' || x FROM ${series(N)};
    ANALYZE;`,
  people: `CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT);
    INSERT INTO people SELECT x, 'Name' || (x * 7 % ${N}), 'City' || (x % 40) FROM ${series(N)};
    ANALYZE;`,
  /** A column named after a SQLite keyword. */
  entries: `CREATE TABLE entries (id INTEGER PRIMARY KEY, "index" INTEGER NOT NULL, body TEXT);
    INSERT INTO entries SELECT x, x * 7 % ${N}, 'entry body ' || x FROM ${series(N)};
    ANALYZE;`,
  tiny: `CREATE TABLE tiny (id INTEGER PRIMARY KEY, code TEXT NOT NULL, label TEXT);
    INSERT INTO tiny SELECT x, 'code' || x, 'Label ' || x FROM ${series(10)};
    ANALYZE;`,
} as const;

export interface ExpertCase {
  readonly name: string;
  readonly table: keyof typeof EXPERT_TABLES;
  readonly sql: string;
  /** Values for the i-th run (varied so a measurement does not time one cached row). */
  readonly params: (i: number) => readonly (number | string)[];
  /** The recommendation as table(keys), or null when no index should be recommended. */
  readonly expected: string | null;
}

export const EXPERT_CASES: readonly ExpertCase[] = [
  {
    name: 'skip-scan of the primary key',
    table: 'readings',
    sql: 'SELECT * FROM readings WHERE seq = ?',
    params: (i) => [(i * 37) % 997],
    expected: 'readings(seq)',
  },
  {
    name: 'skip-scan with a range on the skipped column',
    table: 'readings',
    sql: 'SELECT * FROM readings WHERE site > ? AND seq = ?',
    params: (i) => [40, (i * 37) % 997],
    expected: 'readings(seq, site)',
  },
  {
    name: 'COLLATE NOCASE BETWEEN',
    table: 'people',
    sql: 'SELECT * FROM people WHERE name COLLATE nocase BETWEEN ? AND ?',
    params: (i) => [`name${100 + (i % 50)}`, `name${100 + (i % 50)}z`],
    expected: 'people(name COLLATE NOCASE)',
  },
  {
    name: 'ORDER BY a keyword-named column',
    table: 'entries',
    sql: 'SELECT * FROM entries ORDER BY "index" LIMIT 20',
    params: () => [],
    expected: 'entries("index")',
  },
  {
    name: 'neighbour: the primary key serves it by its prefix',
    table: 'readings',
    sql: 'SELECT * FROM readings WHERE site = ?',
    params: (i) => [i % 50],
    expected: null,
  },
  {
    name: 'neighbour: a 10-row table',
    table: 'tiny',
    sql: 'SELECT * FROM tiny WHERE code = ?',
    params: (i) => [`code${1 + (i % 10)}`],
    expected: null,
  },
  {
    name: 'neighbour: every row and column in order (a sort beats a lookup per row)',
    table: 'entries',
    sql: 'SELECT * FROM entries ORDER BY "index"',
    params: () => [],
    expected: null,
  },
];
