import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_FAMILY, type TestEngine } from '../helpers/engines.js';
import { findings } from '../helpers/health.js';

const SETUP = `
CREATE TABLE n (id int PRIMARY KEY, deleted_at timestamptz, ref int, note text, "select" int);
INSERT INTO n SELECT g, CASE WHEN g % 10 = 0 THEN now() END, CASE WHEN g % 3 = 0 THEN g END, 'note ' || g, CASE WHEN g % 5 = 0 THEN g END
FROM generate_series(1, 20000) g;
CREATE INDEX n_deleted_at ON n (deleted_at);
CREATE INDEX n_ref_note ON n (ref, note DESC) INCLUDE (id);
CREATE INDEX "n select" ON n ("select");
CREATE INDEX n_ref_lower ON n (ref, lower(note));
CREATE INDEX n_note_ref ON n (note, ref);
CREATE INDEX n_deleted_partial ON n (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE UNIQUE INDEX n_ref_unique ON n (ref);
ANALYZE;
`;

for (const fixture of POSTGRES_FAMILY) {
  describe.skipIf(!fixture.available)(`null-heavy-index on ${fixture.name}`, () => {
    let db: TestEngine;
    beforeAll(async () => {
      db = await fixture.open('null_heavy_index');
      await db.setup(SETUP);
    });
    afterAll(async () => db?.cleanup());

    const concurrently = fixture.name === 'postgres' ? 'CONCURRENTLY ' : '';

    it('finds indexes leading with a mostly-NULL column and writes the partial index', async () => {
      const found = await findings(db, 'null-heavy-index');
      expect(found.map((f) => f.index).sort()).toEqual([
        'public."n select"',
        'public.n_deleted_at',
        'public.n_ref_lower',
        'public.n_ref_note',
      ]);
      const deleted = found.find((f) => f.index === 'public.n_deleted_at');
      expect(deleted).toMatchObject({
        severity: 'info',
        table: 'public.n',
        message: expect.stringContaining('WHERE deleted_at IS NOT NULL'),
      });
      expect(Number(deleted?.evidence.nullFraction)).toBeCloseTo(0.9, 1);
      expect(deleted?.fixSql).toMatch(
        new RegExp(
          `^CREATE INDEX ${concurrently}idx_n_deleted_at_[0-9a-f]{6} ON public\\.n USING btree \\(deleted_at\\) WHERE deleted_at IS NOT NULL;\\nDROP INDEX ${concurrently}public\\.n_deleted_at;$`,
        ),
      );
      expect(found.find((f) => f.index === 'public.n_ref_note')?.fixSql).toMatch(
        /USING btree \(ref, note DESC\) INCLUDE \(id\) WHERE ref IS NOT NULL;/,
      );
      expect(found.find((f) => f.index === 'public."n select"')?.fixSql).toMatch(
        /\("select"\) WHERE "select" IS NOT NULL;\nDROP INDEX .*public\."n select";$/,
      );
      expect(found.find((f) => f.index === 'public.n_ref_lower')?.fixSql).toBeNull(); // an expression key ddl.ts does not write
    });

    it('no false findings: a non-null leading column, partial and unique indexes, a higher threshold', async () => {
      const flagged = (await findings(db, 'null-heavy-index')).map((f) => f.index);
      for (const name of ['n_note_ref', 'n_deleted_partial', 'n_ref_unique', 'n_pkey']) expect(flagged).not.toContain(`public.${name}`);
      const strict = (await findings(db, 'null-heavy-index', { 'null-heavy-fraction': 0.85 })).map((f) => f.index);
      expect(strict).toEqual(['public.n_deleted_at']);
    });

    it('the fix runs, and afterwards the finding is gone', async () => {
      const fix = (await findings(db, 'null-heavy-index')).find((f) => f.index === 'public.n_deleted_at')?.fixSql ?? '';
      for (const statement of fix.split('\n')) await db.setup(statement);
      expect((await findings(db, 'null-heavy-index')).map((f) => f.index)).not.toContain('public.n_deleted_at');
    });
  });
}
