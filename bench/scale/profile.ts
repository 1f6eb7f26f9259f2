/**
 * One size of the scale benchmark in this process, for profiling (node --cpu-prof):
 * loads the schema once into database indexwise_bench_scale_profile and keeps it, so a
 * second run with --reuse skips the load.
 *   scripts/bench.sh bench/scale/profile.ts --size 200 [--reuse]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { advise } from '../../src/advisor/advise.js';
import { loadParser } from '../../src/analysis/parse.js';
import { connect } from '../../src/engines/connect.js';
import { collectWorkload } from '../advise/workload.js';
import { databaseUrl, freshDatabase } from '../advise/database.js';
import { generateScale, workloadScript } from './generate.js';
import { loadScaleSchema, useSchema } from './load.js';

const DATABASE = 'indexwise_bench_scale_profile';
const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '200' },
    reuse: { type: 'boolean', default: false },
    connections: { type: 'string' },
    out: { type: 'string' },
  },
});
const size = Number(values.size);
await loadParser();
const generated = generateScale({ tables: size, queriesPerTable: 5, seed: 1 });
const schema = `scale_${size}`;
if (!values.reuse) {
  const admin = await freshDatabase(DATABASE);
  await loadScaleSchema(admin, schema, generated.tables);
  await admin.close();
}
const engine = await connect(databaseUrl(DATABASE));
try {
  await useSchema(engine, schema);
  const workload = await collectWorkload([{ text: workloadScript(generated), source: `sql:scale-${size}.sql` }]);
  const catalog = await engine.catalog();
  const started = performance.now();
  const report = await advise(engine, workload, catalog, {
    ...(values.connections === undefined ? {} : { whatIfConnections: Number(values.connections) }),
    onProgress: (m) => console.log(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${m}`),
  });
  if (values.out !== undefined) writeFileSync(values.out, JSON.stringify(report));
  console.log(JSON.stringify({ ...report.stats, cost: report.cost, recommendations: report.recommendations.length }));
} finally {
  await engine.close();
}
