/**
 * The demo application in a SQLite file: built into a temp file (or `--keep FILE`,
 * reused next time at the same scale) from demo/schema.sqlite.sql and the rows of
 * sqlite-generate.ts, inserted in batches of multi-row INSERTs, then ANALYZE. A file is
 * the demo's when its application_id says so; any other existing file is refused.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../engines/connect.js';
import type { Engine } from '../engines/engine.js';
import { InputError } from '../errors.js';
import { quoteIdentAlways } from '../sql/names.js';
import { workloadFromSql } from '../workload/collect.js';
import { readDemoFile } from './assets.js';
import { demoSizes } from './generate.js';
import { type LoadedDemo, splitScript } from './load.js';
import type { DemoOptions, DemoSession } from './run.js';
import { sqliteDemoRows, type TableRows } from './sqlite-generate.js';

export const SQLITE_DEMO_WORKLOAD_SOURCE = 'sql:demo/workload.sqlite.sql';
/** "IXDE": PRAGMA application_id of a demo file; user_version holds the scale × 1000. */
const APPLICATION_ID = 0x49584445;
const MAX_PARAMS_PER_INSERT = 900;

async function pragma(engine: Engine, name: 'application_id' | 'user_version'): Promise<number> {
  const [row] = await engine.query(`PRAGMA ${name}`);
  return Number(row?.[name] ?? 0);
}

/** 'reuse' a demo of this scale, 'rebuild' an older demo, or refuse a file the demo did not make. */
async function existingState(path: string, scale: number): Promise<'reuse' | 'rebuild'> {
  const engine = await connect({ kind: 'sqlite', path });
  try {
    if ((await pragma(engine, 'application_id')) !== APPLICATION_ID) {
      throw new InputError(`${path} exists and is not an indexwise demo database: choose another file with --keep`);
    }
    return (await pragma(engine, 'user_version')) === Math.round(scale * 1000) ? 'reuse' : 'rebuild';
  } finally {
    await engine.close();
  }
}

async function insertRows(engine: Engine, data: TableRows): Promise<void> {
  const perBatch = Math.max(1, Math.floor(MAX_PARAMS_PER_INSERT / data.columns.length));
  const into = `INSERT INTO ${quoteIdentAlways(data.table)} (${data.columns.map(quoteIdentAlways).join(', ')}) VALUES `;
  const tuple = `(${data.columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < data.rows.length; start += perBatch) {
    const batch = data.rows.slice(start, start + perBatch);
    await engine.query(into + batch.map(() => tuple).join(', '), batch.flat());
  }
}

async function build(engine: Engine, scale: number, onProgress: (message: string) => void): Promise<void> {
  for (const statement of splitScript(readDemoFile('schema.sqlite.sql'))) await engine.query(statement);
  await engine.query('BEGIN');
  for (const data of sqliteDemoRows(demoSizes(scale))) {
    onProgress(`generating ${data.table}`);
    await insertRows(engine, data);
  }
  await engine.query('COMMIT');
  onProgress('ANALYZE');
  await engine.query('ANALYZE');
  await engine.query(`PRAGMA application_id = ${APPLICATION_ID}`);
  await engine.query(`PRAGMA user_version = ${Math.round(scale * 1000)}`);
}

/** Opens (and if needed builds) the SQLite demo; the caller closes the engine, then calls `dispose`. */
export async function openSqliteDemo(options: DemoOptions): Promise<DemoSession> {
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale <= 100)) throw new InputError('--scale must be a number between 0 and 100');
  if (options.db !== undefined)
    throw new InputError('--db is for PostgreSQL; the SQLite demo goes into a temp file, or the file given with --keep');
  const progress = options.onProgress ?? (() => {});
  const dir = options.keep === undefined ? mkdtempSync(join(tmpdir(), 'indexwise-demo-')) : null;
  const path = options.keep ?? join(dir as string, 'demo.db');
  const dispose = async () => {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
  };
  const started = performance.now();
  const state = existsSync(path) ? await existingState(path, scale) : 'rebuild';
  if (state === 'rebuild') writeFileSync(path, '');
  const engine = await connect({ kind: 'sqlite', path }, { writable: true });
  try {
    if (state === 'rebuild') await build(engine, scale, progress);
    else progress(`reusing the demo already in ${path}`);
    const demo: LoadedDemo = {
      schema: 'main',
      scale,
      sizes: demoSizes(scale),
      built: state === 'rebuild',
      seconds: state === 'rebuild' ? (performance.now() - started) / 1000 : 0,
    };
    const workload = await workloadFromSql(readDemoFile('workload.sqlite.sql'), SQLITE_DEMO_WORKLOAD_SOURCE);
    return { engine, info: await engine.info(), demo, workload, workloadSource: SQLITE_DEMO_WORKLOAD_SOURCE, dispose };
  } catch (error) {
    await engine.close();
    await dispose();
    throw error;
  }
}
