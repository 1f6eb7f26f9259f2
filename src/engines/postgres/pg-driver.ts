/** The `pg` driver for a real PostgreSQL server: one dedicated client per engine. */
import pg from 'pg';
import { ConnectionError, oneLine } from '../../errors.js';
import { redactConnectionString } from '../connection-string.js';
import type { Row } from '../engine.js';
import type { PgDriver } from './driver.js';

const CONNECT_TIMEOUT_MS = 10_000;

/** Makes every later transaction of the session READ ONLY unless opened with BEGIN READ WRITE. */
export const READ_ONLY_SESSION = `SELECT set_config('default_transaction_read_only', 'on', false)`;

export async function connectPg(url: string, options: { readonly readOnly?: boolean } = {}): Promise<PgDriver> {
  const target = redactConnectionString(url);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'indexwise',
  });
  // An idle client that loses its server emits 'error'; without a listener node would crash.
  client.on('error', () => {});
  try {
    await client.connect();
    if (options.readOnly) await client.query(READ_ONLY_SESSION);
  } catch (error) {
    await client.end().catch(() => {});
    throw new ConnectionError(`cannot connect to ${target}: ${describeConnectError(error)}`, { cause: error });
  }
  return {
    kind: 'postgres',
    target,
    async query(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      const result = await client.query({ text: sql, values: [...params], queryMode: 'extended' } as pg.QueryConfig);
      return result.rows as Row[];
    },
    async exec(sql: string): Promise<void> {
      await client.query(sql);
    },
    reopen: () => connectPg(url, options),
    async close(): Promise<void> {
      await client.end().catch(() => {});
    },
  };
}

function describeConnectError(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running and listening on that host and port?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ETIMEDOUT':
      return 'connection timed out';
    default: {
      const message = oneLine(error);
      return message === 'Connection terminated due to connection timeout' ? 'connection timed out' : message;
    }
  }
}
