/**
 * The candidate generator and relevance on a catalog written by hand (no database; the
 * real PostgreSQL parser reads the queries).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type CandidateOptions, generateCandidates, type IndexCandidate } from '../../src/advisor/candidates.js';
import { candidatesByTable, relevantCandidates } from '../../src/advisor/relevance.js';
import { writePenalty } from '../../src/advisor/write-cost.js';
import { createIndexSql, indexName } from '../../src/sql/ddl.js';
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

describe('candidates with expression keys', () => {
  beforeAll(loadParser);

  it('an expression compared with a value is a key of its own, deparsed unqualified', async () => {
    const { ids, candidates } = await candidatesFor('SELECT * FROM orders o WHERE lower(o.status) = $1');
    expect(ids).toEqual(['public.orders((lower(status)))']);
    expect(candidates[0]?.def.keys).toEqual([
      { column: 'lower(status)', expression: { reads: ['status'] }, descending: false, nullsFirst: null, opclass: null },
    ]);
  });

  it('composite with plain equality columns (they lead), and the expression alone', async () => {
    const { ids } = await candidatesFor('SELECT * FROM orders WHERE account_id = $1 AND lower(note) = $2');
    expect(ids).toEqual(['public.orders((lower(note)))', 'public.orders(account_id)', 'public.orders(account_id,(lower(note)))']);
  });

  it('an ORDER BY on an expression after an equality, with its direction', async () => {
    const { ids } = await candidatesFor('SELECT * FROM orders WHERE account_id = $1 ORDER BY lower(note) DESC LIMIT 5');
    expect(ids).toContain('public.orders(account_id,(lower(note)) desc)');
  });

  it('a join on expressions gives each side its expression key', async () => {
    const { ids } = await candidatesFor('SELECT o.* FROM orders o JOIN events e ON lower(e.kind) = lower(o.status::text)');
    expect(ids).toContain('public.events((lower(kind)))');
    expect(ids).toContain('public.orders((lower(status::text)))');
  });

  it('relevance: the expression key matters to its query only, the column to the neighbour that compares the column', async () => {
    const { relevant } = await candidatesFor('SELECT * FROM orders WHERE lower(status) = $1; SELECT * FROM orders WHERE status = $1');
    expect(relevant(0)).toEqual(['public.orders((lower(status)))']);
    expect(relevant(1)).toEqual(['public.orders(status)']);
  });

  it('an existing index on the expression, as PostgreSQL prints it, covers the candidate; one on the column does not', async () => {
    const onExpression: Index = {
      ...primaryKey('orders'),
      name: 'orders_lower_note',
      unique: false,
      primary: false,
      constraint: null,
      keys: [{ column: null, expression: 'lower((note)::text)', descending: false, nullsFirst: false, opclass: null, collation: null }],
    };
    const onColumn: Index = {
      ...onExpression,
      name: 'orders_note',
      keys: [{ ...onExpression.keys[0]!, column: 'note', expression: null }],
    };
    const sql = 'SELECT * FROM orders WHERE lower(note) = $1';
    const workload = await workloadFromSql(sql);
    const accesses = analyzeWorkload(workload, CATALOG).queries[0]?.analysis?.accesses ?? [];
    const generate = (index: Index) =>
      generateCandidates(
        [{ fingerprint: 'q', accesses }],
        { ...CATALOG, indexes: [...CATALOG.indexes, index] },
        { maxColumns: 3, includeColumns: true },
      );
    expect(generate(onExpression).map((c) => c.id)).toEqual([]);
    expect(generate(onColumn).map((c) => c.id)).toEqual(['public.orders((lower(note)))']);
  });

  it('an UPDATE of a column the expression reads pays for the index', async () => {
    const [candidate] = (await candidatesFor('SELECT * FROM orders WHERE lower(note) = $1')).candidates;
    const update = (column: string) => [
      {
        weight: 1,
        rowsPerCall: 1,
        writes: [{ table: { schema: 'public', name: 'orders' }, kind: 'update' as const, updatedColumns: [column] }],
      },
    ];
    expect(writePenalty(candidate!.def, update('note'))).toBeGreaterThan(0);
    expect(writePenalty(candidate!.def, update('amount'))).toBe(0);
  });

  it('DDL: ((expr)) in CREATE INDEX, a readable name, a hash where an operator would make names collide', async () => {
    const [lower] = (await candidatesFor('SELECT * FROM orders WHERE lower(note) = $1')).candidates;
    expect(createIndexSql(lower!.def)).toBe('CREATE INDEX idx_orders_lower_note ON public.orders USING btree ((lower(note)))');
    const [text] = (await candidatesFor("SELECT * FROM orders WHERE (note ->> 'a') = $1")).candidates;
    const [json] = (await candidatesFor("SELECT * FROM orders WHERE (note -> 'a') = $1")).candidates;
    expect(createIndexSql(text!.def)).toMatch(
      /^CREATE INDEX idx_orders_note_a_[0-9a-f]{6} ON public\.orders USING btree \(\(note ->> 'a'\)\)$/,
    );
    expect(indexName(text!.def)).not.toBe(indexName(json!.def));
  });
});
