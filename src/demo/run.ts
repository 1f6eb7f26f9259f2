/**
 * `indexwise demo`: build the demo application in embedded PGlite (or a server)
 * and look at it. Returns data; the CLI renders it.
 */
import { connect } from '../engines/connect.js';
import { parseConnectionString } from '../engines/connection-string.js';
import type { Engine, EngineInfo } from '../engines/engine.js';
import { InputError, oneLine } from '../errors.js';
import type { Catalog } from '../model/catalog.js';
import { scanTypes } from '../model/plan.js';
import { readDemoFile } from './assets.js';
import { type LoadedDemo, loadDemo } from './load.js';
import { type AnnotatedQuery, parseAnnotatedWorkload } from './workload-file.js';

export interface DemoOptions {
  /** A PostgreSQL URL to load the demo into; default: PGlite. */
  readonly db?: string;
  /** Keep the PGlite database in this directory (reused on the next run). */
  readonly keep?: string;
  readonly scale?: number;
  /** Schema on a real server (default indexwise_demo). */
  readonly schema?: string;
  readonly onProgress?: (message: string) => void;
}

export interface DemoQueryCost extends AnnotatedQuery {
  /** Planner cost of the generic plan; null when it could not be planned. */
  readonly cost: number | null;
  readonly scans: readonly string[];
  readonly error?: string;
}

export interface DemoSession {
  readonly engine: Engine;
  readonly info: EngineInfo;
  readonly demo: LoadedDemo;
  readonly workload: readonly AnnotatedQuery[];
}

export function demoWorkload(): AnnotatedQuery[] {
  return parseAnnotatedWorkload(readDemoFile('workload.sql'));
}

/** Opens (and if needed builds) the demo database. The caller closes `engine`. */
export async function openDemo(options: DemoOptions = {}): Promise<DemoSession> {
  if (options.db !== undefined && options.keep !== undefined) {
    throw new InputError('--keep is for the embedded database; with --db the demo stays in that database');
  }
  const target = options.db === undefined ? { kind: 'pglite' as const, dir: options.keep ?? null } : parseConnectionString(options.db);
  if (target.kind === 'sqlite') throw new InputError('the SQLite demo is not available yet: use pglite or postgres');
  options.onProgress?.(target.kind === 'pglite' ? 'starting embedded PostgreSQL (PGlite)' : 'connecting');
  const engine = await connect(target, { create: true });
  try {
    const schema = target.kind === 'pglite' ? 'public' : (options.schema ?? 'indexwise_demo');
    const demo = await loadDemo(engine, { scale: options.scale ?? 1, schema, onProgress: options.onProgress });
    if (target.kind === 'pglite') await engine.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    return { engine, info: await engine.info(), demo, workload: demoWorkload() };
  } catch (error) {
    await engine.close();
    throw error;
  }
}

/** The generic-plan cost of each workload query. */
export async function costWorkload(engine: Engine, workload: readonly AnnotatedQuery[]): Promise<DemoQueryCost[]> {
  const costs: DemoQueryCost[] = [];
  for (const query of workload) {
    try {
      const plan = await engine.explain(query.sql, { generic: true });
      costs.push({ ...query, cost: plan.totalCost, scans: scanTypes(plan) });
    } catch (error) {
      costs.push({ ...query, cost: null, scans: [], error: oneLine(error) });
    }
  }
  return costs;
}

export interface DemoReport {
  readonly info: EngineInfo;
  readonly demo: LoadedDemo;
  readonly catalog: Catalog;
  readonly workload: readonly DemoQueryCost[];
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoReport> {
  const session = await openDemo(options);
  try {
    const catalog = await session.engine.catalog();
    const workload = await costWorkload(session.engine, session.workload);
    return { info: session.info, demo: session.demo, catalog, workload };
  } finally {
    await session.engine.close();
  }
}
