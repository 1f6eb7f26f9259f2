/**
 * The candidate generator and relevance on a catalog written by hand (no database; the
 * real PostgreSQL parser reads the queries).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type CandidateOptions, generateCandidates, type IndexCandidate } from '../../src/advisor/candidates.js';
import { candidatesByTable, relevantCandidates } from '../../src/advisor/relevance.js';
import { analyzeWorkload } from '../../src/analysis/analyze-workload.js';
import { loadParser } from '../../src/analysis/parse.js';
import type { Catalog, Column, Index, Table } from '../../src/model/catalog.js';
import { workloadFromSql } from '../helpers/workload.js';

function column(name: string, nDistinct: number, avgWidth = 8): Column {
  return {
    name,
    position: 0,
    type: 'bigint',
    nullable: true,
    generated: false,
    stats: { nDistinct, nullFrac: 0, correlation: 0, avgWidth },
  };
}

function table(name: string, rows: number, columns: Column[]): Table {
  return {
    schema: 'public',
    name,
    kind: 'table',
    parent: null,
    rowEstimate: rows,
    tableBytes: rows * 100,
    totalBytes: rows * 120,
    columns,
    primaryKey: ['id'],
  };
}

function primaryKey(tableName: string): Index {
  return {
    schema: 'public',
    name: `${tableName}_pkey`,
    table: { schema: 'public', name: tableName },
    method: 'btree',
    unique: true,
    primary: true,
    valid: true,
    keys: [{ column: 'id', expression: null, descending: false, nullsFirst: false, opclass: null, collation: null }],
    include: [],
    predicate: null,
    definition: `CREATE UNIQUE INDEX ${tableName}_pkey ON public.${tableName} USING btree (id)`,
    bytes: 0,
    constraint: `${tableName}_pkey`,
    parentIndex: null,
  };
}

const CATALOG: Catalog = {
  schemas: ['public'],
  searchPath: ['public'],
  tables: [
    table('orders', 1_000_000, [
      column('id', -1),
      column('account_id', 50_000),
      column('status', 4),
      column('created_at', -0.9),
      column('amount', 1000),
      column('deleted_at', 10),
      column('note', 200, 60),
    ]),
    // a narrow row: a covering index would hold most of it
    table('events', 1_000_000, [column('id', -1), column('user_id', 10_000), column('kind', 20), column('at', -1)]),
  ],
  indexes: [primaryKey('orders'), primaryKey('events')],
  foreignKeys: [],
  views: [],
};

/** The candidates for `sql` (statements separated by `;`), and the ones relevant to its i-th statement. */
async function candidatesFor(
  sql: string,
  options: Partial<CandidateOptions> = {},
): Promise<{ candidates: IndexCandidate[]; ids: string[]; relevant: (i: number) => string[] }> {
  const workload = await workloadFromSql(sql);
  const analysis = analyzeWorkload(workload, CATALOG);
  const queries = analysis.queries.map((q) => ({
    fingerprint: q.query.fingerprint,
    sql: q.query.sql,
    accesses: q.analysis?.accesses ?? [],
  }));
  const candidates = generateCandidates(queries, CATALOG, { maxColumns: 3, includeColumns: true, ...options });
  const byTable = candidatesByTable(candidates);
  const relevant = (i: number) => {
    const query = queries.find((q) => q.sql === sql.split(';')[i]?.trim());
    return query === undefined ? [] : relevantCandidates(query, byTable);
  };
  return { candidates, ids: candidates.map((c) => c.id).sort(), relevant };
}

describe('candidate generation', () => {
  beforeAll(loadParser);

  it('equality columns (most selective first), then the range, then the ORDER BY; the first alone for sharing', async () => {
    const { ids } = await candidatesFor('SELECT amount FROM orders WHERE status = $1 AND account_id = $2 AND created_at > $3');
    expect(ids).toContain('public.orders(account_id,status,created_at)');
    expect(ids).toContain('public.orders(account_id,status)');
    expect(ids).toContain('public.orders(account_id)');
    expect(ids).toContain('public.orders(account_id,status,created_at) include(amount)');
  });

  it('a partial variant on the constant predicates', async () => {
    const { ids, candidates } = await candidatesFor('SELECT id FROM orders WHERE account_id = $1 AND deleted_at IS NULL');
    expect(ids).toContain('public.orders(account_id) where deleted_at IS NULL');
    expect(candidates.find((c) => c.id === 'public.orders(account_id) where deleted_at IS NULL')?.predicates).toEqual([
      'deleted_at IS NULL',
    ]);
  });

  it('nothing for equalities that name every column of a unique index (it finds the one row already)', async () => {
    const { ids } = await candidatesFor('SELECT amount FROM orders WHERE id = $1 AND account_id = $2');
    expect(ids).toEqual([]);
  });

  it('with maxRowShare, no covering variant that would hold most of a narrow row', async () => {
    expect((await candidatesFor('SELECT kind, at FROM events WHERE user_id = $1')).ids).toEqual([
      'public.events(user_id)',
      'public.events(user_id) include(at,kind)',
    ]);
    const frugal = await candidatesFor('SELECT kind, at FROM events WHERE user_id = $1', { maxRowShare: 0.5 });
    expect(frugal.ids).toEqual(['public.events(user_id)']);
  });

  it('one index for two queries that sort the same keys in opposite directions after an equality', async () => {
    const both = await candidatesFor(
      'SELECT id FROM orders WHERE account_id = $1 ORDER BY created_at LIMIT 10; SELECT id FROM orders WHERE account_id = $1 ORDER BY created_at DESC LIMIT 10',
    );
    const sorted = both.candidates.filter(
      (c) => c.def.keys.map((k) => k.column).join(',') === 'account_id,created_at' && c.def.include.length === 0,
    );
    expect(sorted).toHaveLength(1);
    expect(sorted[0]?.queries).toHaveLength(2);
    // without the equality the directions matter: ORDER BY a, b DESC and ORDER BY a, b are different indexes
    const mixed = await candidatesFor(
      'SELECT id FROM orders ORDER BY status, created_at LIMIT 10; SELECT id FROM orders ORDER BY status, created_at DESC LIMIT 10',
    );
    expect(mixed.ids).toContain('public.orders(status,created_at)');
    expect(mixed.ids).toContain('public.orders(status,created_at desc)');
  });

  it('a candidate matters to a query only through a leading column it can use', async () => {
    const { relevant } = await candidatesFor(
      'SELECT id FROM orders WHERE status = $1 AND created_at > $2; SELECT id FROM orders WHERE account_id = $1',
    );
    const second = relevant(1);
    expect(second.length).toBeGreaterThan(0);
    expect(second.every((id) => id.startsWith('public.orders(account_id'))).toBe(true);
  });
});
