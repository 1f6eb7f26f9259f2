import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_FAMILY, type TestEngine } from '../helpers/engines.js';
import { findings } from '../helpers/health.js';

const SETUP = `
CREATE TABLE e (id int PRIMARY KEY, user_id int, kind text, created_at timestamptz, day date, n int);
CREATE INDEX e_created_user ON e (created_at, user_id);
CREATE INDEX e_day_kind_created ON e (day, kind, created_at);
CREATE INDEX e_user_created ON e (user_id, created_at);
CREATE INDEX e_created_id ON e (created_at, id);
CREATE INDEX e_created ON e (created_at);
CREATE INDEX e_created_lower ON e (created_at, lower(kind));
CREATE INDEX e_created_day ON e (created_at, day);
ALTER TABLE e ADD CONSTRAINT e_created_n_key UNIQUE (created_at, n);
CREATE TABLE "Order Items" (at timestamp NOT NULL, "select" int) PARTITION BY RANGE (at);
CREATE TABLE "Order Items 2024" PARTITION OF "Order Items" FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX oi_at_select ON "Order Items" (at, "select");
`;

for (const fixture of POSTGRES_FAMILY) {
  describe.skipIf(!fixture.available)(`timestamp-not-last on ${fixture.name}`, () => {
    let db: TestEngine;
    beforeAll(async () => {
      db = await fixture.open('timestamp_not_last');
      await db.setup(SETUP);
    });
    afterAll(async () => db?.cleanup());

    it('finds a timestamp or date before equality columns, and suggests the order', async () => {
      const found = await findings(db, 'timestamp-not-last');
      expect(found.map((f) => `${f.index}: ${f.evidence.suggestedKeys}`).sort()).toEqual([
        'public.e_created_user: user_id, created_at',
        'public.e_day_kind_created: kind, day, created_at',
        'public.oi_at_select: select, at',
      ]);
      const first = found.find((f) => f.index === 'public.e_created_user');
      expect(first).toMatchObject({ severity: 'info', table: 'public.e', fixSql: null });
      expect(first?.message).toContain('(user_id, created_at)');
      expect(found.find((f) => f.index === 'public.oi_at_select')?.message).toContain('("select", at)');
    });

    it('no false findings: time last, a primary-key tie-breaker, one column, expressions, only times, constraints, partitions', async () => {
      const flagged = (await findings(db, 'timestamp-not-last')).map((f) => f.index);
      for (const name of ['e_user_created', 'e_created_id', 'e_created', 'e_created_lower', 'e_created_day', 'e_created_n_key']) {
        expect(flagged).not.toContain(`public.${name}`);
      }
      expect(flagged.some((name) => name?.includes('2024'))).toBe(false);
    });
  });
}
