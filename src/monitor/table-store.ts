/** Snapshots kept in a table of the monitored database — only when the user asks (--store table:SCHEMA.NAME). */
import type { Engine } from '../engines/engine.js';
import { InputError, oneLine } from '../errors.js';
import { quoteIdentAlways } from '../sql/names.js';
import type { Snapshot } from './snapshot.js';
import type { SnapshotStore } from './store.js';

export async function openTableStore(engine: Engine, schema: string, table: string): Promise<SnapshotStore> {
  const name = `${quoteIdentAlways(schema)}.${quoteIdentAlways(table)}`;
  try {
    await engine.query(
      `CREATE TABLE IF NOT EXISTS ${name} (id bigserial PRIMARY KEY, database text NOT NULL, taken_at timestamptz NOT NULL, body jsonb NOT NULL)`,
    );
  } catch (error) {
    throw new InputError(`cannot open the snapshot store table:${schema}.${table}: ${oneLine(error)}`, { cause: error });
  }
  return {
    async save(snapshot) {
      await engine.query(`INSERT INTO ${name} (database, taken_at, body) VALUES ($1, $2, $3)`, [
        snapshot.database,
        snapshot.takenAt,
        JSON.stringify(snapshot),
      ]);
    },
    async list(database, since) {
      const rows = await engine.query<{ body: Snapshot | string }>(
        `SELECT body FROM ${name} WHERE database = $1 AND taken_at >= $2 ORDER BY taken_at, id`,
        [database, since.toISOString()],
      );
      return rows.map((r) => (typeof r.body === 'string' ? (JSON.parse(r.body) as Snapshot) : r.body));
    },
    async databases() {
      return (await engine.query<{ database: string }>(`SELECT DISTINCT database FROM ${name} ORDER BY 1`)).map((r) => r.database);
    },
    async close() {},
  };
}
