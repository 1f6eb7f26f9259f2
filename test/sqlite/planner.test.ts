/**
 * The pure parts of the SQLite engine: statement text (parameters, aliases, LIMIT, WHERE
 * terms), EXPLAIN QUERY PLAN lines, and the cost model — which must rank a full scan of
 * a big table above a search and count every temp b-tree.
 */
import { describe, expect, it } from 'vitest';
import { type CostContext, costPlan, type PlannerStats } from '../../src/engines/sqlite/cost.js';
import { type EqpRow, readStep } from '../../src/engines/sqlite/eqp.js';
import { bindableText, outerLimit, PARAMETER_LIMIT, tableAliases } from '../../src/engines/sqlite/statement-text.js';
import { whereTerms } from '../../src/engines/sqlite/where-terms.js';
import { rewriteSqliteFlavour } from '../../src/analysis/sqlite-flavour.js';
import { loadParser } from '../../src/analysis/parse.js';

const stats = (rows: Record<string, number>, indexes: Record<string, number[]> = {}): PlannerStats => ({
  tableOf: (name) => (rows[name] === undefined ? undefined : { table: name, rows: rows[name] as number }),
  indexStat: (index) => indexes[index] ?? null,
  primaryKeyIndex: () => undefined,
  hasColumn: () => true,
});

const plan = (details: string[], context: Partial<CostContext> & { stats: PlannerStats }) =>
  costPlan(
    details.map((detail, i): EqpRow => ({ id: i + 1, parent: 0, detail })),
    { limit: null, where: [], ...context },
  );

describe('statement text', () => {
  it('numbers parameters as SQLite does, and as the rewrite for the PostgreSQL parser does', async () => {
    await loadParser();
    const sql = 'SELECT * FROM t WHERE a = ? AND b = :b AND c = ?5 AND d = ? AND e = :b AND f = @g AND h = $h';
    expect(bindableText(sql)).toEqual({
      sql: 'SELECT * FROM t WHERE a = @p1 AND b = @p2 AND c = @p5 AND d = @p6 AND e = @p2 AND f = @p7 AND h = @p8',
      count: 8,
      positional: false,
    });
    expect(bindableText('SELECT ? + ?')).toEqual({ sql: 'SELECT ? + ?', count: 2, positional: true });
    expect(rewriteSqliteFlavour(sql)).toBe(
      'SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $5 AND d = $6 AND e = $2 AND f = $7 AND h = $8',
    );
    expect(bindableText('SELECT \'?\', "a?", x FROM t -- ?\nWHERE y = $2 AND z = $1').sql).toBe(
      'SELECT \'?\', "a?", x FROM t -- ?\nWHERE y = @p2 AND z = @p1',
    );
  });

  it('finds the aliases EXPLAIN QUERY PLAN prints, LIMIT and the WHERE terms', () => {
    const aliases = tableAliases('SELECT * FROM "Order Items" AS oi JOIN users u ON u.id = oi.user_id, main.t x WHERE u.a = 1', [
      'Order Items',
      'users',
      't',
    ]);
    expect(Object.fromEntries(aliases)).toEqual({ oi: 'Order Items', u: 'users', x: 't' });
    expect(outerLimit('SELECT * FROM t WHERE a IN (SELECT b FROM s LIMIT 3) LIMIT 5, 10')).toBe(15);
    expect(outerLimit('SELECT * FROM t LIMIT ? OFFSET 5')).toBe(PARAMETER_LIMIT + 5);
    expect(outerLimit('SELECT * FROM t')).toBeNull();
    expect(
      whereTerms("SELECT * FROM t c JOIN o ON o.c = c.id WHERE c.city = ? AND o.x BETWEEN 1 AND 5 AND o.y = c.z AND lower(name) >= 'a'"),
    ).toEqual([
      { alias: 'c', columns: ['city'], equality: true },
      { alias: 'o', columns: ['x'], equality: false },
      { alias: null, columns: ['name'], equality: false },
    ]);
  });
});

describe('EXPLAIN QUERY PLAN lines', () => {
  it('reads names with spaces, the access path and the constraints', () => {
    expect(readStep('SEARCH Order Items USING COVERING INDEX my idx (order no=? AND at>? AND at<?)')).toEqual({
      kind: 'access',
      search: true,
      name: 'Order Items',
      path: 'covering-index',
      index: 'my idx',
      constraints: [
        { column: 'order no', op: '=' },
        { column: 'at', op: '>' },
        { column: 'at', op: '<' },
      ],
    });
    expect(readStep('SEARCH p USING INTEGER PRIMARY KEY (rowid=?)')).toMatchObject({ path: 'rowid', index: null });
    expect(readStep('SEARCH b USING AUTOMATIC COVERING INDEX (name=?) LEFT-JOIN')).toMatchObject({ path: 'automatic-index', index: null });
    expect(readStep('USE TEMP B-TREE FOR LAST TERM OF ORDER BY')).toEqual({
      kind: 'sort',
      partial: true,
      purpose: 'LAST TERM OF ORDER BY',
    });
    expect(readStep('CORRELATED SCALAR SUBQUERY 1')).toEqual({ kind: 'correlated' });
    expect(readStep('CO-ROUTINE t')).toEqual({ kind: 'producer', name: 't' });
  });
});

describe('the cost model', () => {
  const big = stats({ t: 1_000_000, s: 100 }, { t_a: [1_000_000, 10], t_ab: [1_000_000, 10, 2] });

  it('ranks a full scan of a big table far above a search, and a covering search below a plain one', () => {
    const scan = plan(['SCAN t'], { stats: big }).totalCost;
    const search = plan(['SEARCH t USING INDEX t_a (a=?)'], { stats: big }).totalCost;
    const covering = plan(['SEARCH t USING COVERING INDEX t_a (a=?)'], { stats: big }).totalCost;
    expect(scan).toBe(1_000_000);
    expect(search).toBeLessThan(scan / 1000);
    expect(covering).toBeLessThan(search);
    // more equality columns, fewer rows; a range bound divides by 4
    expect(plan(['SEARCH t USING INDEX t_ab (a=? AND b=?)'], { stats: big }).totalCost).toBeLessThan(search);
    expect(plan(['SEARCH t USING INDEX t_a (a=? AND b>?)'], { stats: big }).root.Plans?.[0]?.['Plan Rows']).toBe(2.5);
  });

  it('counts every temp b-tree', () => {
    const plain = plan(['SEARCH t USING INDEX t_a (a=?)'], { stats: big }).totalCost;
    const sorted = plan(['SEARCH t USING INDEX t_a (a=?)', 'USE TEMP B-TREE FOR ORDER BY'], { stats: big }).totalCost;
    const twice = plan(['SEARCH t USING INDEX t_a (a=?)', 'USE TEMP B-TREE FOR GROUP BY', 'USE TEMP B-TREE FOR ORDER BY'], {
      stats: big,
    }).totalCost;
    expect(sorted).toBeGreaterThan(plain);
    expect(twice).toBeGreaterThan(sorted);
  });

  it('nested loops multiply; unserved WHERE terms filter; a LIMIT stops a pipelined plan early', () => {
    const join = plan(['SCAN s', 'SEARCH t USING INDEX t_a (a=?)'], { stats: big }).totalCost;
    const filtered = plan(['SCAN s', 'SEARCH t USING INDEX t_a (a=?)'], {
      stats: big,
      where: [{ alias: 's', columns: ['k'], equality: true }],
    }).totalCost;
    expect(filtered).toBeLessThan(join / 5);
    const ordered = plan(['SCAN t USING INDEX t_a'], { stats: big, limit: 20 }).totalCost;
    const sorted = plan(['SCAN t', 'USE TEMP B-TREE FOR ORDER BY'], { stats: big, limit: 20 }).totalCost;
    expect(ordered).toBeLessThan(1_000);
    expect(sorted).toBeGreaterThan(1_000_000);
  });

  it('a MULTI-INDEX OR adds its branches', () => {
    const rows: EqpRow[] = [
      { id: 1, parent: 0, detail: 'MULTI-INDEX OR' },
      { id: 2, parent: 1, detail: 'INDEX 1' },
      { id: 3, parent: 2, detail: 'SEARCH t USING INDEX t_a (a=?)' },
      { id: 4, parent: 1, detail: 'INDEX 2' },
      { id: 5, parent: 4, detail: 'SEARCH t USING INDEX t_ab (a=? AND b=?)' },
    ];
    const cost = costPlan(rows, { stats: big, limit: null, where: [] });
    const one = plan(['SEARCH t USING INDEX t_a (a=?)'], { stats: big }).totalCost;
    expect(cost.totalCost).toBeGreaterThan(one);
    expect(cost.totalCost).toBeLessThan(3 * one);
  });
});
