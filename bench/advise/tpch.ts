/**
 * TPC-H SF 0.1 on the benchmark server: the shared dbgen files extracted into a temp
 * dir (never into the repository), tables from dss.ddl (no keys, no indexes), each
 * .tbl loaded with psql's \copy, VACUUM ANALYZE (until all-visible), HypoPG. The
 * workload is the 22 queries except Q15 (it creates a view), one call each, named
 * Q1…Q22. Q15's SELECT
 * is costed by the evaluation only, through its view, so the 22-query geometric
 * mean compares with the peers measured in the data's README.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadParser } from '../../src/analysis/parse.js';
import { splitScript } from '../../src/workload/sql-text.js';
import { dropDatabase, freshDatabase, psql, vacuumUntilAllVisible } from './database.js';
import { advisorQueries, type BenchWorkload, collectWorkload, dataBytes, type ScriptPart } from './workload.js';

const run = promisify(execFile);
const TPCH_DIR = fileURLToPath(new URL('../../../shared/benchmarks/tpch/', import.meta.url));
const ARCHIVE = join(TPCH_DIR, 'tpch-sf0.1-dbgen.tar.xz');
const DATABASE = 'indexwise_bench_tpch';
const TABLES = ['region', 'nation', 'supplier', 'customer', 'part', 'partsupp', 'orders', 'lineitem'] as const;
const VIEW_QUERY = 15;

export async function loadTpch(): Promise<BenchWorkload> {
  const dir = await mkdtemp(join(os.tmpdir(), 'indexwise-tpch-'));
  try {
    await run('tar', ['-xJf', ARCHIVE, '-C', dir]);
    const engine = await freshDatabase(DATABASE);
    await psql(DATABASE, ['-f', join(TPCH_DIR, 'dss.ddl')]);
    for (const table of TABLES) {
      // table names come from the fixed list above; the path from mkdtemp
      await psql(DATABASE, ['-c', `\\copy ${table} from '${join(dir, `${table}.tbl`)}' with (format csv, delimiter '|')`]);
    }
    await vacuumUntilAllVisible(engine, 'public');
    await loadParser();
    const q15 = splitScript(await readFile(queryPath(VIEW_QUERY), 'utf8'));
    await engine.query(q15[0]?.sql ?? '');
    const catalog = await engine.catalog();
    const workload = await collectWorkload(await queryParts());
    const viewSelect = await collectWorkload([{ text: q15[1]?.sql ?? '', source: 'sql:queries/15.sql', name: 'Q15' }]);
    return {
      name: 'TPC-H SF 0.1',
      engine,
      catalog,
      workload,
      queries: advisorQueries(workload, catalog),
      extraQueries: advisorQueries(viewSelect, catalog),
      dataBytes: dataBytes(catalog, 'public'),
      highlights: ['Q17', 'Q20'],
      close: async () => {
        await engine.close();
        await dropDatabase(DATABASE);
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function queryPath(n: number): string {
  return join(TPCH_DIR, 'queries', `${n}.sql`);
}

async function queryParts(): Promise<ScriptPart[]> {
  const parts: ScriptPart[] = [];
  for (let n = 1; n <= 22; n++) {
    if (n === VIEW_QUERY) continue;
    parts.push({ text: await readFile(queryPath(n), 'utf8'), source: `sql:queries/${n}.sql`, name: `Q${n}` });
  }
  return parts;
}
