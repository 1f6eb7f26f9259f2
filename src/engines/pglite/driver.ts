/** Embedded PostgreSQL (PGlite): in memory, or a data directory on disk. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_stat_statements } from '@electric-sql/pglite/contrib/pg_stat_statements';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { ConnectionError, oneLine } from '../../errors.js';
import type { Row } from '../engine.js';
import type { PgDriver } from '../postgres/driver.js';

export interface PgliteOpenOptions {
  /** Create the data directory when it does not exist (demo --keep). */
  readonly create?: boolean;
}

/**
 * PGlite is one backend with no replica: wal_level minimal (which needs max_wal_senders 0)
 * lets a transaction that creates a table or an index and fills it write no WAL for it.
 * The demo's build is one such transaction: its load writes 73 MB of WAL instead of 124 MB
 * (most of what is left: the page images that ANALYZE, reading each page first, writes for
 * its hint bits, data checksums being on).
 */
const START_SETTINGS = ['-c', 'wal_level=minimal', '-c', 'max_wal_senders=0'];

export async function openPglite(dir: string | null, options: PgliteOpenOptions = {}): Promise<PgDriver> {
  const target = dir === null ? 'pglite:memory' : `pglite:${dir}`;
  // PGlite's own error for a file in the directory's place is an object with no message.
  if (dir !== null && existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new ConnectionError(`cannot open ${target}: it is a file, not a directory`);
  }
  if (dir !== null && !options.create && !existsSync(join(dir, 'PG_VERSION'))) {
    throw new ConnectionError(
      existsSync(dir) ? `cannot open ${target}: the directory is not a PGlite data directory` : `cannot open ${target}: no such directory`,
    );
  }
  let db: PGlite;
  try {
    db = await PGlite.create({
      ...(dir === null ? {} : { dataDir: dir }),
      // pg_trgm: trigram indexes can be costed (and built) here, CREATE EXTENSION being allowed
      extensions: { pg_stat_statements, pg_trgm },
      startParams: [...PGlite.defaultStartParams, ...START_SETTINGS],
    });
  } catch (error) {
    throw new ConnectionError(`cannot open ${target}: ${oneLine(error)}`, { cause: error });
  }
  return {
    kind: 'pglite',
    target,
    async query(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      const result = await db.query<Row>(sql, [...params]);
      return result.rows;
    },
    async exec(sql: string): Promise<void> {
      await db.exec(sql);
    },
    async close(): Promise<void> {
      if (!db.closed) await db.close();
    },
  };
}
