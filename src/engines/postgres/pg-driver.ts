/** The `pg` driver for a real PostgreSQL server: one dedicated client per engine. */
import pg from 'pg';
import { ConnectionError, oneLine } from '../../errors.js';
import type { Row } from '../engine.js';
import { describePgConninfo, type PgConninfo } from './conninfo.js';
import type { PgDriver } from './driver.js';
import { pgClientSettings } from './pg-config.js';

const NO_SSL_ON_SERVER = 'The server does not support SSL connections';

/** Makes every later transaction of the session READ ONLY unless opened with BEGIN READ WRITE. */
export const READ_ONLY_SESSION = `SELECT set_config('default_transaction_read_only', 'on', false)`;

export async function connectPg(info: PgConninfo, options: { readonly readOnly?: boolean } = {}): Promise<PgDriver> {
  const target = describePgConninfo(info);
  const settings = pgClientSettings(info);
  let client: pg.Client;
  try {
    client = await open(settings.config, options.readOnly === true);
  } catch (error) {
    // sslmode=prefer, as libpq: SSL when the server has it, plain text when it has not.
    const plain = settings.fallbackToPlain && (error as Error).message === NO_SSL_ON_SERVER;
    if (!plain) throw new ConnectionError(`cannot connect to ${target}: ${describeConnectError(error)}`, { cause: error });
    try {
      client = await open({ ...settings.config, ssl: false }, options.readOnly === true);
    } catch (retryError) {
      throw new ConnectionError(`cannot connect to ${target}: ${describeConnectError(retryError)}`, { cause: retryError });
    }
  }
  return driverFor(client, target, info, options);
}

async function open(config: pg.ClientConfig, readOnly: boolean): Promise<pg.Client> {
  const client = new pg.Client(config);
  // An idle client that loses its server emits 'error'; without a listener node would crash.
  client.on('error', () => {});
  try {
    await client.connect();
    if (readOnly) await client.query(READ_ONLY_SESSION);
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

function driverFor(client: pg.Client, target: string, info: PgConninfo, options: { readonly readOnly?: boolean }): PgDriver {
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
    reopen: () => connectPg(info, options),
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
