/**
 * The demo application on the benchmark server: loadDemo at scale 1 into schema
 * indexwise_demo of its own database (search_path set by loadDemo), its workload
 * demo/workload.sql with calls per minute as weights.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadDemo } from '../../src/demo/load.js';
import { dropDatabase, freshDatabase, vacuumUntilAllVisible } from './database.js';
import { advisorQueries, type BenchWorkload, collectWorkload, dataBytes } from './workload.js';

const DATABASE = 'indexwise_bench_demo';
const SCHEMA = 'indexwise_demo';
const WORKLOAD_FILE = fileURLToPath(new URL('../../demo/workload.sql', import.meta.url));

export async function loadDemoWorkload(): Promise<BenchWorkload> {
  const engine = await freshDatabase(DATABASE);
  await loadDemo(engine, { scale: 1, schema: SCHEMA });
  await vacuumUntilAllVisible(engine, SCHEMA);
  const catalog = await engine.catalog();
  const workload = await collectWorkload([{ text: await readFile(WORKLOAD_FILE, 'utf8'), source: 'sql:demo/workload.sql' }]);
  return {
    name: 'demo app (scale 1)',
    engine,
    catalog,
    workload,
    queries: advisorQueries(workload, catalog),
    extraQueries: [],
    dataBytes: dataBytes(catalog, SCHEMA),
    highlights: [],
    close: async () => {
      await engine.close();
      await dropDatabase(DATABASE);
    },
  };
}
