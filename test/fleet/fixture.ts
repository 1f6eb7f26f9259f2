/**
 * A 20-database fleet on the test server: three schema groups (orders ×9, users ×6,
 * events ×4, one of the events databases reached through a role that may only read),
 * and one database nobody listens for. Each member has its own workload file.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { adminUrl, createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp.js';

const SCHEMAS = {
  orders: `CREATE TABLE orders (id int PRIMARY KEY, customer int NOT NULL, status text NOT NULL, created date NOT NULL);
    INSERT INTO orders SELECT g, g % 400, (ARRAY['new','paid','shipped'])[1 + g % 3], DATE '2026-01-01' + g % 300 FROM generate_series(1, 4000) g;
    ANALYZE orders;`,
  users: `CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, country text NOT NULL);
    INSERT INTO users SELECT g, 'u' || g || '@example.com', 'c' || g % 50 FROM generate_series(1, 4000) g;
    ANALYZE users;`,
  events: `CREATE TABLE events (id int PRIMARY KEY, kind text NOT NULL, user_id int NOT NULL, at timestamptz NOT NULL);
    CREATE INDEX events_kind ON events (kind);
    INSERT INTO events SELECT g, 'k' || g % 5, g % 500, TIMESTAMPTZ '2026-01-01' + g * INTERVAL '1 minute' FROM generate_series(1, 4000) g;
    ANALYZE events;`,
} as const;

/** Query templates per group; member i runs template i % n (i + 1 times) and the next one once. */
const QUERIES = {
  orders: [
    (i: number) => `SELECT * FROM orders WHERE customer = ${i + 3};`,
    (i: number) => `SELECT id, status FROM orders WHERE created = DATE '2026-02-0${1 + (i % 9)}';`,
    (i: number) => `SELECT count(*) FROM orders WHERE customer = ${i} AND status = 'paid';`,
  ],
  users: [
    (i: number) => `SELECT * FROM users WHERE email = 'u${i}@example.com';`,
    (i: number) => `SELECT id FROM users WHERE country = 'c${i}';`,
  ],
  events: [
    (i: number) => `SELECT * FROM events WHERE user_id = ${i + 10};`,
    (i: number) => `SELECT * FROM events WHERE at >= TIMESTAMPTZ '2026-01-02' AND at < TIMESTAMPTZ '2026-01-02 00:0${i}:00';`,
  ],
} as const;

export type GroupKey = keyof typeof SCHEMAS;
export const GROUP_SIZES: Record<GroupKey, number> = { orders: 9, users: 6, events: 4 };
export const UNREACHABLE = 'gone';
/** The events member reached through the read-only role (its URL comes from this variable). */
export const READ_ONLY_MEMBER = 'events-3';
export const READ_ONLY_ENV = 'IX_FLEET_EVENTS_3_URL';

export interface TestFleet {
  readonly file: string;
  readonly dir: string;
  /** Member name → its database. */
  readonly databases: ReadonlyMap<string, TestDatabase>;
  /** Member name → its workload text. */
  readonly workloads: ReadonlyMap<string, string>;
  readonly members: Record<GroupKey, string[]>;
  /** The environment the fleet file's env: URLs need (the read-only role's URL). */
  readonly env: Record<string, string>;
  /** The owner's URL of the read-only member, to let a re-run succeed. */
  readonly ownerUrl: string;
  drop(): Promise<void>;
}

function workloadOf(group: GroupKey, i: number): string {
  const templates = QUERIES[group];
  const main = templates[i % templates.length] as (i: number) => string;
  const next = templates[(i + 1) % templates.length] as (i: number) => string;
  return `${Array.from({ length: i + 1 }, () => main(i)).join('\n')}\n${next(i)}\n`;
}

export async function createTestFleet(): Promise<TestFleet> {
  const dir = tempDir('fleet');
  const role = `ix_fleet_reader_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const password = randomBytes(8).toString('hex');
  await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
  const databases = new Map<string, TestDatabase>();
  const workloads = new Map<string, string>();
  const members = { orders: [], users: [], events: [] } as Record<GroupKey, string[]>;
  const entries: Record<string, unknown> = {};
  const env: Record<string, string> = {};
  let ownerUrl = '';
  const jobs = (Object.keys(GROUP_SIZES) as GroupKey[]).flatMap((group) =>
    Array.from({ length: GROUP_SIZES[group] }, (_, i) => ({ group, i, name: `${group}-${i + 1}` })),
  );
  for (const { group, name } of jobs) members[group].push(name);
  // a few at a time: CREATE DATABASE copies template1, and the server is shared
  for (let k = 0; k < jobs.length; k += 5) {
    await Promise.all(
      jobs.slice(k, k + 5).map(async ({ group, i, name }) => {
        const db = await createTestDatabase(`fleet_${group}`, ['hypopg']);
        await db.sql(SCHEMAS[group]);
        // vacuumed now, and never by autovacuum during the tests: the visibility map changes index-only scans' costs, and
        // the advice compared across runs must be costed on the same state (a VACUUM here can leave pages not all-visible
        // while other transactions run on the shared server; autovacuum then changed them between two compared runs)
        await db.sql(`VACUUM ${group}`);
        await db.sql(`ALTER TABLE ${group} SET (autovacuum_enabled = false)`);
        databases.set(name, db);
        const sqlFile = join(dir, `${name}.sql`);
        workloads.set(name, workloadOf(group, i));
        writeFileSync(sqlFile, workloadOf(group, i));
        let url = db.url;
        if (name === READ_ONLY_MEMBER) {
          await db.sql(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
          ownerUrl = db.url;
          const reader = new URL(db.url);
          reader.username = role;
          reader.password = password;
          env[READ_ONLY_ENV] = reader.toString();
          url = `env:${READ_ONLY_ENV}`;
        }
        entries[name] = { url, tags: [group, i % 2 === 0 ? 'eu' : 'us'], from: [`sql:${sqlFile}`] };
      }),
    );
  }
  const ordered: Record<string, unknown> = {};
  for (const { name } of jobs) ordered[name] = entries[name];
  ordered[UNREACHABLE] = { url: 'postgres://postgres@127.0.0.1:1/nowhere', tags: ['eu'] };
  const file = join(dir, 'fleet.json');
  writeFileSync(file, JSON.stringify({ databases: ordered }, null, 2));
  return {
    file,
    dir,
    databases,
    workloads,
    members,
    env,
    ownerUrl,
    async drop() {
      await Promise.all([...databases.values()].map((db) => db.drop()));
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
    },
  };
}
