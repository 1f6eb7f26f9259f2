/** statementEffects: what a parse tree says about whether a statement can change anything. Pure. */
import { beforeAll, describe, expect, it } from 'vitest';
import { IRREVERSIBLE_FUNCTIONS, statementEffects } from '../../src/analysis/read-only.js';
import { loadParser } from '../../src/analysis/parse.js';
import type { Catalog } from '../../src/model/catalog.js';

const catalog: Catalog = {
  schemas: ['public'],
  searchPath: ['public'],
  tables: [],
  indexes: [],
  foreignKeys: [],
  views: [
    { schema: 'public', name: 'tickets', definition: "SELECT nextval('ticket_seq') AS n" },
    { schema: 'public', name: 'outer_view', definition: 'SELECT n FROM tickets' },
    { schema: 'public', name: 'loop_a', definition: 'SELECT * FROM loop_b' },
    { schema: 'public', name: 'loop_b', definition: 'SELECT * FROM loop_a' },
  ],
};

const effects = (sql: string) => statementEffects(sql, catalog);

describe('statementEffects', () => {
  beforeAll(loadParser);

  it('a plain SELECT changes nothing by itself; its functions and operators are listed for the database to judge', () => {
    expect(effects('SELECT lower(name), count(*) FROM t WHERE a = $1 AND b BETWEEN 1 AND 2 GROUP BY 1')).toEqual({
      changes: [],
      functions: ['count', 'lower'],
      operators: ['<', '<=', '=', '>', '>='],
      irreversible: [],
    });
    expect(effects('SELECT public.f(x) FROM t WHERE x === 3').functions).toEqual(['public.f']);
    expect(effects('SELECT public.f(x) FROM t WHERE x === 3').operators).toEqual(['===']);
  });

  it('finds INSERT, UPDATE, DELETE and MERGE in WITH, however deep', () => {
    expect(effects('WITH i AS (INSERT INTO t VALUES (1) RETURNING id) SELECT id FROM i').changes).toEqual(['INSERT in WITH']);
    expect(effects('WITH d AS (DELETE FROM t RETURNING id) SELECT count(*) FROM d').changes).toEqual(['DELETE in WITH']);
    // PostgreSQL allows a data-modifying WITH only at the top level; the classifier looks everywhere all the same
    expect(effects('SELECT * FROM (WITH u AS (UPDATE t SET a = 1 RETURNING a) SELECT a FROM u) s').changes).toEqual(['UPDATE in WITH']);
    expect(effects('WITH a AS (SELECT 1), b AS (WITH c AS (DELETE FROM t RETURNING 1) SELECT * FROM c) SELECT * FROM b').changes).toEqual([
      'DELETE in WITH',
    ]);
  });

  it('a write at the top is a change, and so is its WITH', () => {
    expect(effects('UPDATE t SET a = 1 WHERE id = $1').changes).toEqual(['UPDATE']);
    expect(effects('WITH x AS (DELETE FROM s RETURNING id) INSERT INTO t SELECT id FROM x').changes).toEqual(['INSERT', 'DELETE in WITH']);
    expect(effects('MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE').changes).toEqual(['MERGE']);
  });

  it('every locking clause, SELECT INTO, and statements that are not queries', () => {
    expect(effects('SELECT * FROM t FOR UPDATE').changes).toEqual(['SELECT … FOR UPDATE']);
    expect(effects('SELECT * FROM t FOR NO KEY UPDATE SKIP LOCKED').changes).toEqual(['SELECT … FOR NO KEY UPDATE']);
    expect(effects('SELECT * FROM t FOR SHARE NOWAIT').changes).toEqual(['SELECT … FOR SHARE']);
    expect(effects('SELECT * FROM t FOR KEY SHARE OF t').changes).toEqual(['SELECT … FOR KEY SHARE']);
    expect(effects('SELECT * FROM (SELECT * FROM t FOR UPDATE) s').changes).toEqual(['SELECT … FOR UPDATE']);
    expect(effects('SELECT id INTO copy FROM t').changes).toEqual(['SELECT INTO']);
    expect(effects('CREATE TABLE x AS SELECT 1').changes).toEqual(['a CreateTableAs statement']);
    expect(effects('SELECT 1; DELETE FROM t').changes).toEqual(['2 statements']);
    expect(effects('SELEC 1').changes).toEqual(['a statement that does not parse']);
  });

  it('names the functions a rollback does not undo, qualified or not', () => {
    expect(effects("SELECT nextval('s'), id FROM t").irreversible).toEqual(['nextval']);
    expect(effects("SELECT pg_catalog.setval('s', 1)").irreversible).toEqual(['pg_catalog.setval']);
    expect(effects('SELECT 1 FROM t WHERE pg_try_advisory_lock(id)').irreversible).toEqual(['pg_try_advisory_lock']);
    expect(effects('SELECT pg_advisory_xact_lock(1)').irreversible).toEqual([]); // released by the rollback
    expect(IRREVERSIBLE_FUNCTIONS).toContain('pg_advisory_lock');
  });

  it('looks into the views a statement reads, nested ones too, and stops at a cycle', () => {
    expect(effects('SELECT n FROM tickets').irreversible).toEqual(['nextval']);
    expect(effects('SELECT n FROM public.outer_view').irreversible).toEqual(['nextval']);
    expect(effects('SELECT * FROM loop_a').changes).toEqual([]);
  });

  it('reads SQLite-flavoured text', () => {
    expect(effects('SELECT * FROM t WHERE a = ? LIMIT 1, 2')).toMatchObject({ changes: [] });
    expect(effects('INSERT OR REPLACE INTO t VALUES (?)').changes).toEqual(['INSERT']);
  });
});
