/**
 * The dashboard in one call (what `indexwise serve` runs): open the database and its monitor
 * store, listen — or, for a fleet, listen at once and open each member on its first visit.
 */
import { InputError } from '../errors.js';
import type { FleetMember } from '../fleet/fleet-file.js';
import { openStore } from '../monitor/monitor.js';
import { type CollectOptions, parseSourceSpec, type SourceSpec } from '../workload/collect.js';
import { ServedDatabase } from './database.js';
import { DEFAULT_MAX_OPEN, ServedFleet } from './fleet.js';
import { type Auth, checkExposure } from './security.js';
import { buildFleetApp, listen, type RunningServer, startServer } from './server.js';

/** The port serve (and demo --serve) listens on unless told otherwise. */
export const DEFAULT_SERVE_PORT = 4321;

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
    const server = await listenOrExplain(host, options.port, () =>
      startServer(db, {
        host,
        port: options.port ?? DEFAULT_SERVE_PORT,
        auth,
        allowApply,
        snapshotEveryMs: options.snapshotEveryMs ?? null,
        onError: options.onError,
      }),
    );
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
    throw error;
  }
}

/** A port taken or refused as a one-line input error. */
async function listenOrExplain(host: string, port: number | undefined, start: () => Promise<RunningServer>): Promise<RunningServer> {
  try {
    return await start();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')
      throw new InputError(`cannot listen on ${host}:${port ?? DEFAULT_SERVE_PORT}: ${code}`, { cause: error });
    throw error;
  }
}

export interface FleetDashboardOptions extends Omit<DashboardOptions, 'db' | 'sources' | 'store' | 'snapshotEveryMs'> {
  /** The members served (after --only-db/--exclude-db), each with its own workload sources (`from`). */
  readonly members: readonly FleetMember[];
  /** Members kept open at once (default 20): one more closes the least recently visited. */
  readonly maxOpen?: number;
}

export interface FleetDashboard {
  readonly url: string;
  close(): Promise<void>;
}

/** The fleet's dashboard: listening at once, each member opened on its first visit (read-only unless allowApply). */
export async function serveFleetDashboard(options: FleetDashboardOptions): Promise<FleetDashboard> {
  const host = options.host ?? '127.0.0.1';
  const auth = options.auth ?? null;
  const allowApply = options.allowApply ?? false;
  checkExposure(host, auth);
  if (options.members.length === 0) throw new InputError('no fleet database is left to serve');
  // every member's sources read now: a bad one is an input error before anything listens
  const sources = new Map(options.members.map((m) => [m.name, m.from.map(parseSourceSpec)]));
  const fleet = new ServedFleet(
    options.members,
    (member) =>
      ServedDatabase.open({ url: member.url, sources: sources.get(member.name) ?? [], collect: options.collect, allowApply }, () =>
        Promise.resolve(null),
      ),
    options.maxOpen ?? DEFAULT_MAX_OPEN,
  );
  const serverOptions = {
    host,
    port: options.port ?? DEFAULT_SERVE_PORT,
    auth,
    allowApply,
    snapshotEveryMs: null,
    onError: options.onError,
  };
  const server = await listenOrExplain(host, options.port, () =>
    listen((port) => buildFleetApp(fleet, serverOptions, port), serverOptions),
  );
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await fleet.close();
    },
  };
}
