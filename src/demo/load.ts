/**
 * Loads the demo application into a PostgreSQL-family database: schema, data, ANALYZE.
 * It only ever drops a schema that carries its own marker comment, i.e. one it made.
 */
import { InputError } from '../errors.js';
import type { Engine } from '../engines/engine.js';
import { quoteIdentAlways } from '../sql/names.js';
import { readDemoFile } from './assets.js';
import { type DemoSizes, demoSizes, generatorSteps } from './generate.js';

const MARKER_PREFIX = 'indexwise demo application';
/** The line in demo/schema.sql after which come the statements that run once the tables are filled. */
const AFTER_DATA = /^-- after the data$/m;

export interface LoadDemoOptions {
  readonly scale: number;
  /** Schema to load into; it is created, and must not hold anything indexwise did not create. */
  readonly schema: string;
  readonly onProgress?: (message: string) => void;
}

export interface LoadedDemo {
  readonly schema: string;
  readonly scale: number;
  readonly sizes: DemoSizes;
  /** False when an existing demo of the same scale was reused. */
  readonly built: boolean;
  readonly seconds: number;
}

export async function loadDemo(engine: Engine, options: LoadDemoOptions): Promise<LoadedDemo> {
  if (engine.family !== 'postgres') throw new InputError('the demo runs on PostgreSQL or PGlite for now');
  if (!(options.scale > 0 && options.scale <= 100)) throw new InputError('--scale must be a number between 0 and 100');
  const started = performance.now();
  const sizes = demoSizes(options.scale);
  const marker = `${MARKER_PREFIX} (scale ${options.scale})`;
  const existing = await schemaComment(engine, options.schema);
  await engine.query(`SELECT set_config('search_path', $1, false)`, [`${quoteIdentAlways(options.schema)}, public`]);
  if (existing === marker) {
    options.onProgress?.(`reusing the demo already in schema ${options.schema}`);
    return { schema: options.schema, scale: options.scale, sizes, built: false, seconds: 0 };
  }
  // One transaction: a failed build leaves nothing behind, and PGlite (wal_level minimal)
  // writes no WAL for tables created in the transaction that fills them.
  await engine.query('BEGIN');
  try {
    await prepareSchema(engine, options.schema, existing);
    await buildDemo(engine, sizes, options.onProgress);
    await engine.query('COMMIT');
  } catch (error) {
    await engine.query('ROLLBACK').catch(() => {});
    throw error;
  }
  // After the commit, as before: ANALYZE reads every page of these tables and leaves their
  // rows' hint bits set (inside the transaction it could not), so no later step pays for that.
  options.onProgress?.('ANALYZE');
  const tables = generatorSteps(sizes).map((step) => quoteIdentAlways(step.table));
  await engine.query(`ANALYZE ${tables.join(', ')}`);
  await engine.query(`COMMENT ON SCHEMA ${quoteIdentAlways(options.schema)} IS '${marker}'`);
  const seconds = (performance.now() - started) / 1000;
  return { schema: options.schema, scale: options.scale, sizes, built: true, seconds };
}

/**
 * The tables, their rows, then the foreign keys and secondary indexes (schema.sql's part
 * after AFTER_DATA): one check of each key and one sorted build of each index instead of
 * a check and an index entry per inserted row.
 */
async function buildDemo(engine: Engine, sizes: DemoSizes, onProgress?: (message: string) => void): Promise<void> {
  const [tables = '', afterData = ''] = readDemoFile('schema.sql').split(AFTER_DATA);
  for (const statement of splitScript(tables)) await engine.query(statement);
  for (const step of generatorSteps(sizes)) {
    onProgress?.(`generating ${step.table}`);
    await engine.query(step.sql, step.params);
  }
  onProgress?.('adding foreign keys and indexes');
  for (const statement of splitScript(afterData)) await engine.query(statement);
}

async function schemaComment(engine: Engine, schema: string): Promise<string | null | undefined> {
  const rows = await engine.query<{ comment: string | null }>(
    `SELECT obj_description(oid, 'pg_namespace') AS comment FROM pg_namespace WHERE nspname = $1`,
    [schema],
  );
  return rows.length === 0 ? undefined : (rows[0]?.comment ?? null);
}

/** Creates the schema, or clears one that an earlier demo run made; refuses anything else. */
async function prepareSchema(engine: Engine, schema: string, comment: string | null | undefined): Promise<void> {
  const name = quoteIdentAlways(schema);
  if (comment === undefined) {
    await engine.query(`CREATE SCHEMA ${name}`);
    return;
  }
  if (comment?.startsWith(MARKER_PREFIX)) {
    await engine.query(`DROP SCHEMA ${name} CASCADE`);
    await engine.query(`CREATE SCHEMA ${name}`);
    return;
  }
  const [row] = await engine.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1`,
    [schema],
  );
  if (Number(row?.n ?? 0) > 0) {
    throw new InputError(`schema "${schema}" already holds objects indexwise did not create; choose another with --schema`);
  }
}

/** Splits our own demo/schema.sql at statement ends (no dollar quotes or semicolons in strings there). */
export function splitScript(text: string): string[] {
  return text
    .split(/;\s*$/m)
    .map((part) => part.replace(/^\s*--.*$/gm, '').trim())
    .filter((part) => part !== '');
}
