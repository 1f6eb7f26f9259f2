/**
 * A fresh database per test file on the real PostgreSQL that scripts/test.sh starts
 * (INDEXWISE_TEST_PG_URL), with HypoPG and pg_stat_statements installed.
 * Without a server: tests skip locally, and fail in CI (CI=true).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const adminUrl = process.env.INDEXWISE_TEST_PG_URL;
export const hasPostgres = adminUrl !== undefined && adminUrl !== '';

if (!hasPostgres && process.env.CI) {
  throw new Error('CI=true but INDEXWISE_TEST_PG_URL is not set: run the tests with `npm test`, which starts PostgreSQL');
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Runs SQL (several statements allowed) in the test database. */
  sql(text: string, params?: unknown[]): Promise<pg.QueryResult>;
  drop(): Promise<void>;
}

function urlFor(database: string): string {
  const url = new URL(adminUrl ?? '');
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createTestDatabase(label: string, extensions = ['hypopg', 'pg_stat_statements']): Promise<TestDatabase> {
  const name = `ix_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = urlFor(name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  client.on('error', () => {});
  for (const extension of extensions) await client.query(`CREATE EXTENSION IF NOT EXISTS ${extension}`);
  return {
    name,
    url,
    sql: (text, params) => client.query(text, params),
    async drop() {
      await client.end().catch(() => {});
      const admin2 = new pg.Client({ connectionString: adminUrl });
      await admin2.connect();
      try {
        await admin2.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin2.end();
      }
    },
  };
}
