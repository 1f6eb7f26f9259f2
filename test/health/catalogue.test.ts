/** Every check in the catalogue is complete: its module, its SQL when it queries, its test; names agree. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/health/catalogue.js';
import { PROJECT_ROOT } from '../helpers/cli.js';

const CHECKS_DIR = join(PROJECT_ROOT, 'src', 'health', 'checks');

describe('the health check catalogue', () => {
  it('has unique, kebab-case ids', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  for (const check of CHECKS) {
    it(`${check.id}: module, SQL and test are in place`, () => {
      const module = join(CHECKS_DIR, `${check.id}.ts`);
      expect(existsSync(module), module).toBe(true);
      const source = readFileSync(module, 'utf8');
      if (source.includes('checkSql(')) {
        expect(source).toContain(`checkSql('${check.id}')`);
        const sql = readFileSync(join(CHECKS_DIR, `${check.id}.sql`), 'utf8');
        expect(sql.startsWith(`-- ${check.id}: `)).toBe(true);
      }
      expect(existsSync(join(PROJECT_ROOT, 'test', 'health', `${check.id}.test.ts`))).toBe(true);
      expect(check.description.length).toBeGreaterThan(10);
      for (const t of check.thresholds) expect(t.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
    });
  }

  it('every SQL file belongs to a check', () => {
    const ids = new Set(CHECKS.map((c) => c.id));
    for (const file of readdirSync(CHECKS_DIR).filter((f) => f.endsWith('.sql')))
      expect(ids.has(file.replace(/\.sql$/, '')), file).toBe(true);
  });

  it('a threshold name means the same everywhere it appears', () => {
    const byName = new Map<string, number>();
    for (const t of CHECKS.flatMap((c) => c.thresholds)) {
      if (byName.has(t.name)) expect(byName.get(t.name)).toBe(t.default);
      byName.set(t.name, t.default);
    }
  });
});
