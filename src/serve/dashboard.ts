/** The dashboard in one call (what `indexwise serve` runs): open the database and its monitor store, listen. */
import { InputError } from '../errors.js';
import { openStore } from '../monitor/monitor.js';
import type { CollectOptions, SourceSpec } from '../workload/collect.js';
import { ServedDatabase } from './database.js';
import { type Auth, checkExposure } from './security.js';
import { startServer } from './server.js';

export interface DashboardOptions {
  /** The connection string (its password is never shown). */
  readonly db: string;
  readonly sources?: readonly SourceSpec[];
  readonly collect?: CollectOptions;
  /** Default 127.0.0.1; another host needs `auth`. */
  readonly host?: string;
  /** Default 4321; 0 picks a free port. */
  readonly port?: number;
  readonly auth?: Auth | null;
  /** Let the Apply button build indexes (otherwise no route changes the database). */
  readonly allowApply?: boolean;
  /** Monitor store (a SQLite file, or `table:…` with allowApply); none: History has nothing. */
  readonly store?: string;
  readonly snapshotEveryMs?: number | null;
  readonly onError?: (message: string) => void;
}

export interface Dashboard {
  readonly url: string;
  /** The database as shown: password-free. */
  readonly target: string;
  close(): Promise<void>;
}

export async function serveDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  const auth = options.auth ?? null;
  const allowApply = options.allowApply ?? false;
  // refused before anything opens
  checkExposure(host, auth);
  if (options.store?.startsWith('table:') && !allowApply)
    throw new InputError('--store table:… writes snapshots into the database: serve does that only with --allow-apply');
  if (options.snapshotEveryMs != null && options.store === undefined) throw new InputError('--snapshot-every needs --store');
  const db = await ServedDatabase.open(
    { url: options.db, sources: options.sources ?? [], collect: options.collect, allowApply },
    (engine) => (options.store === undefined ? Promise.resolve(null) : openStore(options.store, engine)),
  );
  try {
    const server = await startServer(db, {
      host,
      port: options.port ?? 4321,
      auth,
      allowApply,
      snapshotEveryMs: options.snapshotEveryMs ?? null,
      onError: options.onError,
    });
    return {
      url: server.url,
      target: db.target,
      close: async () => {
        await server.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')
      throw new InputError(`cannot listen on ${host}:${options.port ?? 4321}: ${code}`, { cause: error });
    throw error;
  }
}
