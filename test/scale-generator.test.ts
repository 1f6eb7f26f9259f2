/** The scale benchmark's generator (bench/scale): deterministic, one workload entry per shape, foreign keys that resolve. No database. */
import { describe, expect, it } from 'vitest';
import { collectWorkload } from '../bench/advise/workload.js';
import { createTableSql, insertRowsSql } from '../bench/scale/ddl.js';
import { generateScale, workloadScript } from '../bench/scale/generate.js';
import { LARGE_ROWS, type ScaleTable } from '../bench/scale/schema.js';

describe('the scale benchmark generator', () => {
  it('gives the same schema and workload for the same seed, another for another seed', () => {
    const a = generateScale({ tables: 60, queriesPerTable: 5, seed: 7 });
    const b = generateScale({ tables: 60, queriesPerTable: 5, seed: 7 });
    const c = generateScale({ tables: 60, queriesPerTable: 5, seed: 8 });
    expect(b).toEqual(a);
    expect(workloadScript(b)).toBe(workloadScript(a));
    expect(workloadScript(c)).not.toBe(workloadScript(a));
  });

  it('every distinct shape it counts is one workload entry when read as --from sql:FILE', async () => {
    for (const tables of [50, 200]) {
      const generated = generateScale({ tables, queriesPerTable: 5, seed: 1 });
      const workload = await collectWorkload([{ text: workloadScript(generated), source: 'sql:scale.sql' }]);
      expect(workload.skipped).toEqual([]);
      expect(generated.statements).toHaveLength(generated.shapes);
      expect(workload.queries).toHaveLength(generated.shapes);
      expect(generated.shapes).toBeGreaterThan(tables * 4.5);
      const calls = workload.queries.reduce((sum, q) => sum + q.calls, 0);
      expect(calls).toBe(generated.statements.reduce((sum, s) => sum + s.calls, 0));
    }
  });

  it('foreign keys point at earlier tables that exist, one to three per table after the first', () => {
    const { tables } = generateScale({ tables: 300, queriesPerTable: 5, seed: 3 });
    const position = new Map(tables.map((t, i) => [t.name, i]));
    expect(tables[0]?.foreignKeys).toEqual([]);
    for (const [i, table] of tables.entries()) {
      if (i > 0) expect(table.foreignKeys.length).toBeGreaterThanOrEqual(1);
      expect(table.foreignKeys.length).toBeLessThanOrEqual(3);
      for (const fk of table.foreignKeys) {
        expect(position.get(fk.references), `${table.name}.${fk.column}`).toBeLessThan(i);
        expect(fk.column).toBe(`${fk.references}_id`);
        expect(createTableSql('s', table)).toContain(`"${fk.column}" bigint NOT NULL`);
      }
      expect(new Set(table.foreignKeys.map((f) => f.references)).size).toBe(table.foreignKeys.length);
    }
    const all = tables.flatMap((t) => t.foreignKeys);
    const indexed = all.filter((f) => f.indexed).length;
    expect(indexed).toBeGreaterThan(0);
    expect(indexed).toBeLessThan(all.length / 2);
  });

  it('a few large tables, the others 1k–20k rows; the load binds one row count per foreign key', () => {
    const { tables } = generateScale({ tables: 1000, queriesPerTable: 5, seed: 1 });
    expect(tables.filter((t) => t.rows === LARGE_ROWS)).toHaveLength(10);
    for (const t of tables.filter((t) => t.rows !== LARGE_ROWS)) {
      expect(t.rows).toBeGreaterThanOrEqual(1000);
      expect(t.rows).toBeLessThanOrEqual(20_000);
    }
    const rows = new Map(tables.map((t) => [t.name, t.rows]));
    const table = tables.find((t) => t.foreignKeys.length === 3) as ScaleTable;
    expect(table).toBeDefined();
    const insert = insertRowsSql('s', table, (name) => rows.get(name) ?? 0);
    expect(insert.params).toEqual([table.rows, expect.any(Number), ...table.foreignKeys.map((f) => rows.get(f.references))]);
    expect(insert.sql).toContain('$5::int');
  });
});
