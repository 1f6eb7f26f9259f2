/**
 * `indexwise demo`: build the demo application in embedded PGlite (or a server),
 * analyze its workload and advise indexes for it. Returns data; the CLI renders it.
 */
import { existsSync, statSync } from 'node:fs';
import { loadParser } from '../analysis/parse.js';
import { connect } from '../engines/connect.js';
import { parseConnectionString } from '../engines/connection-string.js';
import type { Engine, EngineInfo } from '../engines/engine.js';
import { InputError } from '../errors.js';
import type { Workload } from '../model/workload.js';
import { workloadFromSql } from '../workload/collect.js';
import { splitScript } from '../workload/sql-text.js';
import { readDemoFile } from './assets.js';
import { type LoadedDemo, loadDemo } from './load.js';
import { openSqliteDemo } from './sqlite.js';

export const DEMO_WORKLOAD_SOURCE = 'sql:demo/workload.sql';

export interface DemoOptions {
  /** 'sqlite': the demo in a SQLite file (a temp file, or `keep`); default: PostgreSQL (PGlite or `db`). */
  readonly engine?: 'postgres' | 'sqlite';
  /** A PostgreSQL URL to load the demo into; default: PGlite. */
  readonly db?: string;
  /** Keep the PGlite database in this directory (SQLite: in this file), reused on the next run. */
  readonly keep?: string;
  readonly scale?: number;
  /** Schema on a real server (default indexwise_demo). */
  readonly schema?: string;
  readonly onProgress?: (message: string) => void;
}

/** One query of the demo application's workload, as its data file describes it. */
export interface DemoQuery {
  readonly name: string;
  readonly callsPerMinute: number;
  readonly description: string;
  readonly sql: string;
}

export async function demoWorkload(): Promise<DemoQuery[]> {
  await loadParser();
  return splitScript(readDemoFile('workload.sql')).map((s) => ({
    name: s.name ?? '',
    callsPerMinute: s.calls ?? 1,
    description: s.description ?? '',
    sql: s.sql,
  }));
}

export interface DemoSession {
  readonly engine: Engine;
  readonly info: EngineInfo;
  readonly demo: LoadedDemo;
  readonly workload: Workload;
  /** Where the workload came from (default DEMO_WORKLOAD_SOURCE). */
  readonly workloadSource?: string;
  /** Removes what the session made (the SQLite demo's temp file), after the engine is closed. */
  readonly dispose?: () => Promise<void>;
}

/** Opens (and if needed builds) the demo database. The caller closes `engine`. */
export async function openDemo(options: DemoOptions = {}): Promise<DemoSession> {
  if (options.engine === 'sqlite') return openSqliteDemo(options);
  if (options.db !== undefined && options.keep !== undefined) {
    throw new InputError('--keep is for the embedded database; with --db the demo stays in that database');
  }
  if (options.keep !== undefined && existsSync(options.keep) && !statSync(options.keep).isDirectory()) {
    throw new InputError(`--keep ${options.keep} is a file: the PostgreSQL demo keeps a directory (a SQLite file needs --engine sqlite)`);
  }
  const target = options.db === undefined ? { kind: 'pglite' as const, dir: options.keep ?? null } : parseConnectionString(options.db);
  if (target.kind === 'sqlite') throw new InputError('for the SQLite demo use --engine sqlite (and --keep FILE to keep it)');
  // Starting PGlite takes seconds; a server answers at once, and its refusal is then the only line.
  if (target.kind === 'pglite') options.onProgress?.('starting embedded PostgreSQL (PGlite)');
  const engine = await connect(target, { create: true });
  try {
    const schema = target.kind === 'pglite' ? 'public' : (options.schema ?? 'indexwise_demo');
    const demo = await loadDemo(engine, { scale: options.scale ?? 1, schema, onProgress: options.onProgress });
    if (target.kind === 'pglite') await engine.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const workload = await workloadFromSql(readDemoFile('workload.sql'), DEMO_WORKLOAD_SOURCE);
    return { engine, info: await engine.info(), demo, workload };
  } catch (error) {
    await engine.close();
    throw error;
  }
}
