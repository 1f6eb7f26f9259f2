/**
 * unused-index: see unused-index.sql. An index scanned fewer than --min-scans times since
 * the statistics were reset costs every write and serves (almost) no read. Never reported:
 * a unique or primary-key index (so never a replica identity either), one enforcing a
 * constraint, one serving a foreign key, an invalid one (invalid-index reports those).
 * Scans on replicas (repeated --db) count too, matched by schema and index name.
 * Statistics younger than --min-stats-age-days give an info finding ("not yet a
 * verdict", no fix); older ones a warning with the fix.
 * The evidence keeps the definition and the SQL that builds the index again.
 */
import type { Engine } from '../../engines/engine.js';
import { type Catalog, type Index, type QualifiedName, sameName } from '../../model/catalog.js';
import type { Finding } from '../../model/finding.js';
import { formatQualified } from '../../sql/names.js';
import { recreateIndexSql } from '../../sql/ddl.js';
import type { Check, CheckContext } from '../check.js';
import { dropIndexFix } from '../../sql/fix.js';
import { foreignKeysServedBy } from '../fk-coverage.js';
import { checkSql } from '../sql-file.js';

/** The documented defaults of --min-scans and --min-stats-age-days. */
export const DEFAULT_MIN_SCANS = 50;
export const DEFAULT_MIN_STATS_AGE_DAYS = 7;

export interface IndexUsage {
  readonly index: QualifiedName;
  readonly table: QualifiedName;
  readonly scans: number;
  readonly tuplesRead: number;
  readonly bytes: number;
  readonly definition: string;
}

export interface StatsAge {
  /** When the counters started (ISO 8601, UTC). */
  readonly since: string;
  /** 'stats_reset' when the database's statistics were reset then; 'server start' otherwise (a lower bound). */
  readonly source: 'stats_reset' | 'server start';
  readonly days: number;
}

export interface UsageSnapshot {
  readonly indexes: readonly IndexUsage[];
  readonly age: StatsAge;
}

export interface UnusedIndex extends IndexUsage {
  /** Scans on the replicas alone (included in `scans`). */
  readonly replicaScans: number;
  /** The youngest statistics among the databases asked. */
  readonly age: StatsAge;
  /** False while the statistics are younger than --min-stats-age-days. */
  readonly verdict: boolean;
}

interface Row extends Record<string, unknown> {
  schema: string | null;
  index_name: string | null;
  table_schema: string;
  table_name: string;
  definition: string;
  scans: number;
  tuples_read: number;
  bytes: number;
  stats_since: string;
  from_reset: boolean;
  stats_age_days: number;
}

export async function readIndexUsage(engine: Engine): Promise<UsageSnapshot> {
  const rows = await engine.query<Row>(checkSql('unused-index'));
  const first = rows[0];
  const age: StatsAge = {
    since: String(first?.stats_since ?? ''),
    source: first?.from_reset ? 'stats_reset' : 'server start',
    days: Number(first?.stats_age_days ?? 0),
  };
  const indexes = rows
    .filter((row) => row.schema !== null && row.index_name !== null)
    .map((row) => ({
      index: { schema: String(row.schema), name: String(row.index_name) },
      table: { schema: row.table_schema, name: row.table_name },
      scans: Number(row.scans),
      tuplesRead: Number(row.tuples_read),
      bytes: Number(row.bytes),
      definition: row.definition,
    }));
  return { indexes, age };
}

/** Why an index must never be called unused, or null when it may be. */
export function keepReason(catalog: Catalog, index: Index): string | null {
  if (index.primary) return 'primary key';
  if (index.constraint !== null) return `enforces constraint ${index.constraint}`;
  if (index.unique) return 'unique';
  if (!index.valid) return 'invalid';
  const fk = foreignKeysServedBy(catalog, index)[0];
  return fk === undefined ? null : `serves foreign key ${fk.name}`;
}

export interface UnusedOptions {
  readonly minScans: number;
  readonly minStatsAgeDays: number;
}

/** The indexes with fewer than minScans scans on the primary and all replicas together. A pure rule. */
export function findUnused(
  catalog: Catalog,
  primary: UsageSnapshot,
  replicas: readonly UsageSnapshot[],
  options: UnusedOptions,
): UnusedIndex[] {
  const age = [primary, ...replicas].map((s) => s.age).reduce((a, b) => (b.days < a.days ? b : a));
  const unused: UnusedIndex[] = [];
  for (const usage of primary.indexes) {
    const index = catalog.indexes.find((i) => sameName(i, usage.index));
    if (index === undefined || keepReason(catalog, index) !== null) continue;
    const replicaScans = replicas
      .flatMap((r) => r.indexes.filter((u) => sameName(u.index, usage.index)))
      .reduce((sum, u) => sum + u.scans, 0);
    const scans = usage.scans + replicaScans;
    if (scans >= options.minScans) continue;
    unused.push({ ...usage, scans, replicaScans, age, verdict: age.days >= options.minStatsAgeDays });
  }
  return unused;
}

const days = (n: number) => (n >= 10 ? n.toFixed(0) : n.toFixed(1));

function toFinding(context: CheckContext, unused: UnusedIndex): Finding {
  const index = formatQualified(unused.index);
  const where =
    context.replicas.length > 0 ? ` on the primary and ${context.replicas.length} replica${context.replicas.length === 1 ? '' : 's'}` : '';
  const scans = `${unused.scans} scan${unused.scans === 1 ? '' : 's'}`;
  const counted = `${index} had ${scans}${where} in ${days(unused.age.days)} days of statistics`;
  const message = unused.verdict
    ? `${counted} (fewer than --min-scans ${context.thresholds['min-scans']}): unused, it only slows writes`
    : `${counted}: too young for a verdict (--min-stats-age-days ${context.thresholds['min-stats-age-days']}), look again later`;
  return {
    check: 'unused-index',
    severity: unused.verdict ? 'warning' : 'info',
    table: formatQualified(unused.table),
    index,
    message,
    evidence: {
      bytes: unused.bytes,
      scans: unused.scans,
      replicaScans: unused.replicaScans,
      tuplesRead: unused.tuplesRead,
      statsSince: unused.age.since,
      statsSinceSource: unused.age.source,
      statsAgeDays: Math.round(unused.age.days * 100) / 100,
      databases: 1 + context.replicas.length,
      definition: unused.definition,
      recreateSql: `${recreateIndexSql(unused.definition, { concurrently: context.info.capabilities.concurrently })};`,
    },
    fixSql: unused.verdict ? dropIndexFix(context.info, context.catalog, { ...unused.index, table: unused.table }) : null,
  };
}

export const unusedIndex: Check = {
  id: 'unused-index',
  family: 'runtime',
  description: 'indexes (almost) never scanned since the statistics were reset: they cost every write',
  thresholds: [
    {
      name: 'min-scans',
      description: 'an index scanned fewer times than this since the statistics were reset is unused',
      default: DEFAULT_MIN_SCANS,
    },
    {
      name: 'min-stats-age-days',
      description: 'statistics younger than this many days give no verdict, only a note',
      default: DEFAULT_MIN_STATS_AGE_DAYS,
    },
  ],
  engines: ['postgres'],
  async run(context) {
    const primary = await readIndexUsage(context.engine);
    const replicas = await Promise.all(context.replicas.map((engine) => readIndexUsage(engine)));
    const options = {
      minScans: context.thresholds['min-scans'] ?? DEFAULT_MIN_SCANS,
      minStatsAgeDays: context.thresholds['min-stats-age-days'] ?? DEFAULT_MIN_STATS_AGE_DAYS,
    };
    return findUnused(context.catalog, primary, replicas, options).map((unused) => toFinding(context, unused));
  },
};
