/**
 * index-bloat: btree indexes wasting at least --bloat-min-bytes and --bloat-ratio of their
 * size. The waste is estimated from the statistics (index-bloat.sql), or measured exactly
 * with pgstatindex() when pgstattuple is installed and usable (then only for indexes of
 * at least --bloat-min-bytes, since it reads them whole). Fix: rebuild the index.
 */
import type { Engine } from '../../engines/engine.js';
import type { Finding } from '../../model/finding.js';
import { formatQualified } from '../../sql/names.js';
import type { Check, CheckContext } from '../check.js';
import { reindexFix } from '../../sql/fix.js';
import { compactBytes, pgstatindex, pgstatindexSchema } from '../pgstatindex.js';
import { checkSql } from '../sql-file.js';

const DEFAULT_RATIO = 0.3;
const DEFAULT_MIN_BYTES = 10 * 1024 * 1024;

interface Row extends Record<string, unknown> {
  oid: string;
  schema: string;
  index_name: string;
  table_schema: string;
  table_name: string;
  bytes: number;
  fillfactor: number;
  block_size: number;
  expected_bytes: number | null;
}

export interface BloatMeasure {
  readonly row: Row;
  readonly bytes: number;
  readonly wastedBytes: number;
  readonly method: 'estimate' | 'pgstattuple';
}

export interface BloatThresholds {
  readonly ratio: number;
  readonly minBytes: number;
}

/** Over both thresholds. A pure rule. */
export function isBloated(measure: Pick<BloatMeasure, 'bytes' | 'wastedBytes'>, thresholds: BloatThresholds): boolean {
  return measure.bytes > 0 && measure.wastedBytes >= thresholds.minBytes && measure.wastedBytes / measure.bytes >= thresholds.ratio;
}

async function measure(engine: Engine, exact: boolean, rows: readonly Row[], minBytes: number): Promise<BloatMeasure[]> {
  const schema = exact ? await pgstatindexSchema(engine) : null;
  const measures: BloatMeasure[] = [];
  for (const row of rows) {
    const bytes = Number(row.bytes);
    if (schema !== null && bytes >= minBytes) {
      const layout = await pgstatindex(engine, schema, row.oid);
      const compact = compactBytes(layout, Number(row.block_size), Number(row.fillfactor));
      measures.push({ row, bytes: layout.indexBytes, wastedBytes: Math.max(0, layout.indexBytes - compact), method: 'pgstattuple' });
    } else if (row.expected_bytes !== null) {
      measures.push({ row, bytes, wastedBytes: Math.max(0, bytes - Number(row.expected_bytes)), method: 'estimate' });
    }
  }
  return measures;
}

const megabytes = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

function toFinding(context: CheckContext, m: BloatMeasure): Finding {
  const index = formatQualified({ schema: m.row.schema, name: m.row.index_name });
  const ratio = m.wastedBytes / m.bytes;
  const how = m.method === 'pgstattuple' ? 'measured by pgstatindex' : 'estimated from statistics';
  return {
    check: 'index-bloat',
    severity: 'warning',
    table: formatQualified({ schema: m.row.table_schema, name: m.row.table_name }),
    index,
    message: `${index} wastes about ${megabytes(m.wastedBytes)} of its ${megabytes(m.bytes)} (${Math.round(ratio * 100)}%, ${how}): rebuild it`,
    evidence: {
      bytes: m.bytes,
      wastedBytes: Math.round(m.wastedBytes),
      bloatRatio: Math.round(ratio * 1000) / 1000,
      method: m.method,
      fillfactor: Number(m.row.fillfactor),
    },
    fixSql: reindexFix(context.info, { schema: m.row.schema, name: m.row.index_name }),
  };
}

export const indexBloat: Check = {
  id: 'index-bloat',
  family: 'runtime',
  description: 'btree indexes much larger than their entries need (pages left half-empty by deletes and updates)',
  thresholds: [
    { name: 'bloat-ratio', description: 'report an index when at least this fraction of it is wasted', default: DEFAULT_RATIO },
    {
      name: 'bloat-min-bytes',
      description: 'report an index only when it wastes at least this many bytes (10485760 = 10 MiB)',
      default: DEFAULT_MIN_BYTES,
    },
  ],
  engines: ['postgres'],
  async run(context) {
    const thresholds = {
      ratio: context.thresholds['bloat-ratio'] ?? DEFAULT_RATIO,
      minBytes: context.thresholds['bloat-min-bytes'] ?? DEFAULT_MIN_BYTES,
    };
    const rows = await context.engine.query<Row>(checkSql('index-bloat'));
    const measures = await measure(context.engine, context.info.capabilities.pgstattuple, rows, thresholds.minBytes);
    return measures.filter((m) => isBloated(m, thresholds)).map((m) => toFinding(context, m));
  },
};
