/** Snapshots kept in a table of the monitored database — only when the user asks (--store table:SCHEMA.NAME). */
import type { Engine } from '../engines/engine.js';
import { InputError, oneLine } from '../errors.js';
import { quoteIdentAlways } from '../sql/names.js';
import type { Snapshot } from './snapshot.js';
import type { SnapshotStore } from './store.js';

/** `readOnly`: the table must exist already (monitor report); otherwise it is created when missing (monitor snapshot). */
export async function openTableStore(
  engine: Engine,
  schema: string,
  table: string,
  options: { readonly readOnly?: boolean } = {},
): Promise<SnapshotStore> {
  const name = `${quoteIdentAlways(schema)}.${quoteIdentAlways(table)}`;
  const cannotOpen = (reason: string, cause?: unknown) =>
    new InputError(`cannot open the snapshot store table:${schema}.${table}: ${reason}`, cause === undefined ? {} : { cause });
  try {
    if (options.readOnly) {
      const [found] = await engine.query<{ oid: string | null }>('SELECT to_regclass($1)::text AS oid', [name]);
      if (!found?.oid) throw cannotOpen(`no such table (indexwise monitor snapshot --store table:${schema}.${table} creates it)`);
    } else {
      await engine.query(
        `CREATE TABLE IF NOT EXISTS ${name} (id bigserial PRIMARY KEY, database text NOT NULL, taken_at timestamptz NOT NULL, body jsonb NOT NULL)`,
      );
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw cannotOpen(oneLine(error), error);
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
