/** The SQL dialects indexwise reads and writes: PostgreSQL's (a server, PGlite) and SQLite's. An engine's family is its dialect. */
export const DIALECTS = ['postgres', 'sqlite'] as const;
export type Dialect = (typeof DIALECTS)[number];
