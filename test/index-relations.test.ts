/**
 * The index relationship rules (src/model/index-relations.ts) on indexes as real catalogs
 * show them: PostgreSQL's (PGlite, and the server when there is one) and SQLite's. The
 * health checks' own tests cover the findings; these pin the rules the advisor shares.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/engines/connect.js';
import type { Index } from '../src/model/catalog.js';
import { type IndexDef, keyColumn } from '../src/model/index-def.js';
import { covers, duplicateSignature, keeperRank, plannedShape } from '../src/model/index-relations.js';
import { POSTGRES_FAMILY, type TestEngine } from './helpers/engines.js';
import { sqliteFile } from './sqlite/fixture.js';

const SETUP = `
CREATE TABLE t (id int PRIMARY KEY, a int, b int);
CREATE INDEX t_a_b ON t (a, b);
CREATE INDEX t_a_nulls_first ON t (a NULLS FIRST);
CREATE INDEX t_a_desc_nulls_last_b ON t (a DESC NULLS LAST, b DESC NULLS LAST);
CREATE INDEX t_a_again ON t (a ASC NULLS LAST);
CREATE INDEX t_a ON t (a);
CREATE UNIQUE INDEX t_b_unique ON t (b);
`;

function def(keys: IndexDef['keys']): IndexDef {
  return { table: { schema: 'public', name: 't' }, keys, include: [], where: null, method: 'btree', unique: false };
}

for (const fixture of POSTGRES_FAMILY) {
  describe.skipIf(!fixture.available)(`index relations on ${fixture.name}`, () => {
    let db: TestEngine;
    let index: (name: string) => Index;
    beforeAll(async () => {
      db = await fixture.open('index_relations');
      await db.setup(SETUP);
      const catalog = await db.engine.catalog();
      index = (name) => catalog.indexes.find((i) => i.name === name) as Index;
    });
    afterAll(async () => db?.cleanup());

    it('an index covers one its keys lead, in the same directions and NULLS orders or all reversed', () => {
      expect(covers(index('t_a_b'), index('t_a'))).toBe(true);
      expect(covers(index('t_a'), index('t_a_b'))).toBe(false);
      // NULLS FIRST on an ascending key: (a, b) reads a with NULLS LAST either way round
      expect(covers(index('t_a_b'), index('t_a_nulls_first'))).toBe(false);
      // read backwards, (a DESC NULLS LAST, …) is (a ASC NULLS FIRST, …)
      expect(covers(index('t_a_desc_nulls_last_b'), index('t_a_nulls_first'))).toBe(true);
      expect(covers(index('t_a_desc_nulls_last_b'), index('t_a'))).toBe(false);
    });

    it('duplicates have one signature; NULLS order tells them apart', () => {
      expect(duplicateSignature(index('t_a'))).toBe(duplicateSignature(index('t_a_again')));
      expect(duplicateSignature(index('t_a'))).not.toBe(duplicateSignature(index('t_a_nulls_first')));
    });

    it('a planned index compares as the catalog will show it once built', () => {
      expect(covers(index('t_a_b'), plannedShape(def([keyColumn('a')])))).toBe(true);
      expect(covers(index('t_a_b'), plannedShape(def([keyColumn('a', { descending: true })])))).toBe(true);
      expect(covers(index('t_a_b'), plannedShape(def([keyColumn('a', { nullsFirst: true })])))).toBe(false);
      expect(covers(index('t_a_desc_nulls_last_b'), plannedShape(def([keyColumn('a', { nullsFirst: true })])))).toBe(true);
      expect(duplicateSignature(plannedShape(def([keyColumn('a')])))).toBe(duplicateSignature(index('t_a')));
    });

    it('the keeper: a constraint, then primary or unique, then any', () => {
      expect(keeperRank(index('t_pkey'))).toBeGreaterThan(keeperRank(index('t_b_unique')));
      expect(keeperRank(index('t_b_unique'))).toBeGreaterThan(keeperRank(index('t_a')));
    });
  });
}

describe('index relations on SQLite', () => {
  it('collation names compare without case, as SQLite compares them', async () => {
    const path = sqliteFile('CREATE TABLE u (id INTEGER PRIMARY KEY, v TEXT, w TEXT); CREATE INDEX u_v_w ON u (v COLLATE nocase, w);');
    const engine = await connect(`sqlite:${path}`);
    try {
      const wide = (await engine.catalog()).indexes.find((i) => i.name === 'u_v_w') as Index;
      const candidate = (collation: string) => ({
        ...def([keyColumn('v', { collation })]),
        table: { schema: 'main', name: 'u' },
      });
      expect(covers(wide, plannedShape(candidate('NOCASE')))).toBe(true);
      expect(covers(wide, plannedShape(candidate('RTRIM')))).toBe(false);
    } finally {
      await engine.close();
    }
  });
});
