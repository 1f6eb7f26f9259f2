/**
 * seq-scan-heavy-table: see seq-scan-heavy-table.sql. A table of at least
 * --seq-scan-min-rows rows, scanned sequentially at least --seq-scan-min-count times and
 * in at least --seq-scan-ratio of its scans. No fix SQL: which index is missing depends on
 * the queries, and `indexwise advise` finds it from the workload.
 */
import type { Finding } from '../../model/finding.js';
import { formatQualified } from '../../sql/names.js';
import type { Check } from '../check.js';
import { checkSql } from '../sql-file.js';

interface Row extends Record<string, unknown> {
  schema: string;
  table_name: string;
  rows: number;
  bytes: number;
  seq_scans: number;
  seq_rows_read: number;
  index_scans: number;
}

export interface SeqScanThresholds {
  readonly minRows: number;
  readonly minCount: number;
  readonly ratio: number;
}

const DEFAULTS: SeqScanThresholds = { minRows: 100_000, minCount: 100, ratio: 0.5 };

export function seqScanRatio(row: Pick<Row, 'seq_scans' | 'index_scans'>): number {
  const scans = Number(row.seq_scans) + Number(row.index_scans);
  return scans === 0 ? 0 : Number(row.seq_scans) / scans;
}

/** Large, and read mostly by sequential scans. A pure rule. */
export function isSeqScanHeavy(row: Row, t: SeqScanThresholds): boolean {
  return Number(row.rows) >= t.minRows && Number(row.seq_scans) >= t.minCount && seqScanRatio(row) >= t.ratio;
}

function toFinding(row: Row): Finding {
  const table = formatQualified({ schema: row.schema, name: row.table_name });
  const ratio = seqScanRatio(row);
  const seq = Number(row.seq_scans);
  return {
    check: 'seq-scan-heavy-table',
    severity: 'warning',
    table,
    index: null,
    message: `${table} (${Math.round(Number(row.rows))} rows) was read by ${seq} sequential scans against ${Number(row.index_scans)} index scans (${Math.round(ratio * 100)}%): run \`indexwise advise\` to find the indexes its queries miss`,
    evidence: {
      bytes: Number(row.bytes),
      rows: Math.round(Number(row.rows)),
      seqScans: seq,
      indexScans: Number(row.index_scans),
      seqScanRatio: Math.round(ratio * 1000) / 1000,
      seqRowsRead: Number(row.seq_rows_read),
      rowsPerSeqScan: seq === 0 ? 0 : Math.round(Number(row.seq_rows_read) / seq),
    },
    fixSql: null,
  };
}

export const seqScanHeavyTable: Check = {
  id: 'seq-scan-heavy-table',
  family: 'runtime',
  description: 'large tables read mostly by sequential scans: their queries probably miss an index (see indexwise advise)',
  thresholds: [
    { name: 'seq-scan-min-rows', description: 'only tables with at least this many rows', default: DEFAULTS.minRows },
    { name: 'seq-scan-min-count', description: 'only tables scanned sequentially at least this many times', default: DEFAULTS.minCount },
    { name: 'seq-scan-ratio', description: 'report when at least this fraction of the scans are sequential', default: DEFAULTS.ratio },
  ],
  engines: ['postgres'],
  async run({ engine, thresholds }) {
    const t: SeqScanThresholds = {
      minRows: thresholds['seq-scan-min-rows'] ?? DEFAULTS.minRows,
      minCount: thresholds['seq-scan-min-count'] ?? DEFAULTS.minCount,
      ratio: thresholds['seq-scan-ratio'] ?? DEFAULTS.ratio,
    };
    const rows = await engine.query<Row>(checkSql('seq-scan-heavy-table'));
    return rows.filter((row) => isSeqScanHeavy(row, t)).map(toFinding);
  },
};
