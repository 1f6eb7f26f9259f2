/**
 * The demo application at one scale, measured for real: loadDemo into its own
 * database and schema (the load is timed), its workload (demo/workload.sql, weights =
 * calls per minute; writes run inside rolled-back transactions) measured, indexwise's
 * advice applied, measured again with the same values for $n placeholders (pin.ts);
 * the queries that came out slower are measured again, interleaved (recheck.ts).
 */
import { loadDemo } from '../../src/demo/load.js';
import { DEMO_WORKLOAD_SOURCE } from '../../src/demo/run.js';
import { readDemoFile } from '../../src/demo/assets.js';
import { workloadFromSql } from '../../src/workload/collect.js';
import { dropDatabase, freshDatabase, vacuumUntilAllVisible } from '../advise/database.js';
import { dataBytes } from '../advise/workload.js';
import { adviseAndApply } from './apply.js';
import { measureTiered } from './measure.js';
import { recheckSmallChanges } from './recheck.js';
import { callPercentiles, queryResults } from './stats.js';
import { Stopwatch } from './stopwatch.js';
import type { BenchWhatIf, DemoResult } from './types.js';

const DATABASE = 'indexwise_bench_verify_demo';
const SCHEMA = 'indexwise_demo';

export interface DemoSettings {
  readonly scale: number;
  readonly timeoutMs: number;
  /** How advise costs candidates (default: HypoPG). */
  readonly whatIf?: BenchWhatIf;
  readonly onProgress?: (message: string) => void;
}

export async function runDemoAt(settings: DemoSettings): Promise<DemoResult> {
  const name = `demo app (scale ${settings.scale})`;
  const watch = new Stopwatch(name);
  const engine = await freshDatabase(DATABASE);
  try {
    const loaded = await watch.time('load', () =>
      loadDemo(engine, { scale: settings.scale, schema: SCHEMA, onProgress: settings.onProgress }),
    );
    await watch.time('vacuum until all-visible', () => vacuumUntilAllVisible(engine, SCHEMA));
    const catalog = await engine.catalog();
    const workload = await workloadFromSql(readDemoFile('workload.sql'), DEMO_WORKLOAD_SOURCE);
    const measure = { timeoutMs: settings.timeoutMs, writes: 'rollback' as const, onProgress: settings.onProgress };
    const before = await watch.time('measure before', () => measureTiered(engine, workload, catalog, measure));
    const advice = await watch.time('advise + apply + vacuum', () => adviseAndApply(engine, workload, catalog, SCHEMA, settings.whatIf));
    const after = await watch.time('measure after', () => measureTiered(engine, before.pinned, catalog, measure));
    const first = queryResults(before.measurement, after.measurement);
    const queries = await watch.time('recheck below ×2', () =>
      recheckSmallChanges(engine, before.pinned, catalog, first, advice.undo, measure),
    );
    return {
      name,
      scale: settings.scale,
      rows: catalog.tables.filter((t) => t.schema === SCHEMA).reduce((sum, t) => sum + (t.rowEstimate ?? 0), 0),
      dataBytes: dataBytes(catalog, SCHEMA),
      loadSeconds: +loaded.seconds.toFixed(1),
      timeoutMs: settings.timeoutMs,
      queries,
      before: callPercentiles(queries, 'before'),
      after: callPercentiles(queries, 'after'),
      advice,
      phases: watch.phases,
    };
  } finally {
    await engine.close();
    await dropDatabase(DATABASE);
  }
}
