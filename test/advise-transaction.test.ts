/**
 * `--what-if transaction` on a real server: the candidates built inside a transaction
 * that is rolled back. As a superuser a configuration is made by marking the other
 * candidates invalid in pg_index; as the tables' owner without that right, by dropping
 * them inside a savepoint. Both give HypoPG's advice here, and leave the database as it was.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advise } from '../src/advisor/advise.js';
import { connect } from '../src/engines/connect.js';
import type { Engine } from '../src/engines/engine.js';
import { adminUrl, createTestDatabase, hasPostgres, type TestDatabase } from './helpers/postgres.js';
import { workloadFromSql } from './helpers/workload.js';

const SETUP = `
CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, region int NOT NULL, created_at timestamptz NOT NULL);
INSERT INTO accounts SELECT g, 'user' || g || '@example.com', g % 500, timestamptz '2024-01-01' + g * interval '5 minutes'
  FROM generate_series(1, 60000) g;
CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint NOT NULL, amount numeric NOT NULL, created_at timestamptz NOT NULL);
INSERT INTO orders SELECT g, 1 + (g * 31) % 60000, g % 1000, timestamptz '2024-01-01' + g * interval '1 minute'
  FROM generate_series(1, 80000) g;
ANALYZE;
`;

const WORKLOAD = `SELECT * FROM accounts WHERE email = $1;
SELECT id FROM accounts WHERE region = $1 AND created_at > $2;
SELECT o.amount FROM accounts a JOIN orders o ON o.account_id = a.id WHERE a.email = $1;`;

const role = 'ix_whatif_owner';
const password = 'owner-pw';

async function state(engine: Engine): Promise<unknown> {
  return {
    indexes: await engine.query(
      `SELECT i.indexrelid::regclass::text AS name, i.indisvalid, i.indisready FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' ORDER BY 1`,
    ),
    data: await engine.query(
      `SELECT (SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM accounts t) AS a, (SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM orders t) AS o`,
    ),
  };
}

describe.skipIf(!hasPostgres)('advise --what-if transaction on PostgreSQL', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase('whatif_tx');
    await db.sql(SETUP);
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await db.sql(
      `GRANT CONNECT ON DATABASE ${db.name} TO ${role}; GRANT USAGE, CREATE ON SCHEMA public TO ${role}; ALTER TABLE accounts OWNER TO ${role}; ALTER TABLE orders OWNER TO ${role}`,
    );
  });
  afterAll(async () => {
    await db?.drop();
    await admin?.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
    await admin?.end();
  });

  const ownerUrl = () => {
    const url = new URL(db.url);
    url.username = role;
    url.password = password;
    return url.toString();
  };

  it('as a superuser (pg_index.indisvalid) and as the owner (DROP in a savepoint): the advice HypoPG gives, nothing left behind', async () => {
    const workload = await workloadFromSql(WORKLOAD);
    const superuser = await connect(db.url);
    const owner = await connect(ownerUrl());
    try {
      const catalog = await superuser.catalog();
      const before = await state(superuser);
      const hypopg = await advise(superuser, workload, catalog, { whatIf: 'hypopg' });
      const toggled = await advise(superuser, workload, catalog, { whatIf: 'transaction' });
      const dropped = await advise(owner, workload, catalog, { whatIf: 'transaction' });
      const shapes = (r: typeof hypopg) => r.recommendations.map((x) => `${x.table}(${x.columns.join(', ')})`).sort();
      expect(shapes(hypopg).length).toBeGreaterThanOrEqual(2);
      expect(shapes(toggled)).toEqual(shapes(hypopg));
      expect(shapes(dropped)).toEqual(shapes(hypopg));
      expect(toggled.whatIf).toBe('transaction');
      expect(await state(superuser)).toEqual(before);
    } finally {
      await superuser.close();
      await owner.close();
    }
  });
});
