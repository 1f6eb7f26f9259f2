/**
 * health on SQLite: the catalog-only checks that hold there (duplicate-index,
 * redundant-index, unindexed-foreign-key) on a real file, with SQLite's own rules: a
 * foreign key on the rowid needs no index, a different collation is no duplicate, the
 * fix is plain SQLite DDL. Checks that need PostgreSQL's statistics do not run.
 */
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/engines/connect.js';
import { runHealth } from '../../src/health/run.js';
import type { Finding } from '../../src/model/finding.js';
import { series, sha256, sqliteFile } from './fixture.js';

const SETUP = `
CREATE TABLE owners (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE pets (
  id INTEGER PRIMARY KEY, owner_id INTEGER REFERENCES owners (id), vet_id INTEGER REFERENCES owners (id),
  name TEXT, kind TEXT, born TEXT);
CREATE TABLE passports (pet_id INTEGER PRIMARY KEY REFERENCES pets (id), code TEXT);
CREATE TABLE visits (pet_id INTEGER, at TEXT, note TEXT, PRIMARY KEY (pet_id, at), FOREIGN KEY (pet_id) REFERENCES pets (id)) WITHOUT ROWID;
CREATE INDEX pets_owner ON pets (owner_id);
CREATE INDEX pets_name_1 ON pets (name);
CREATE INDEX pets_name_2 ON pets (name);
CREATE INDEX pets_name_nocase ON pets (name COLLATE NOCASE);
CREATE INDEX pets_kind ON pets (kind);
CREATE INDEX pets_kind_born ON pets (kind, born DESC);
INSERT INTO owners SELECT x, 'Owner ' || x FROM ${series(100)};
INSERT INTO pets SELECT x, 1 + x % 100, 1 + x % 7, 'Pet ' || x, 'kind' || (x % 5), date('2020-01-01', '+' || x || ' days') FROM ${series(1000)};`;

async function health(path: string): Promise<{ checks: readonly string[]; findings: readonly Finding[] }> {
  const engine = await connect(`sqlite:${path}`);
  try {
    return await runHealth(engine);
  } finally {
    await engine.close();
  }
}

describe('health on SQLite', () => {
  it('runs the checks that hold on SQLite and finds duplicates, redundant indexes and unindexed foreign keys', async () => {
    const path = sqliteFile(SETUP);
    const before = sha256(path);
    const { checks, findings } = await health(path);
    expect(checks).toEqual(['duplicate-index', 'redundant-index', 'unindexed-foreign-key', 'unused-by-workload']);
    const by = (check: string) => findings.filter((f) => f.check === check);
    expect(by('duplicate-index').map((f) => [f.index, f.evidence.duplicateOf, f.fixSql])).toEqual([
      ['main.pets_name_2', 'main.pets_name_1', 'DROP INDEX pets_name_2;'],
    ]);
    expect(by('redundant-index').map((f) => [f.index, f.evidence.coveredBy])).toEqual([['main.pets_kind', 'main.pets_kind_born']]);
    // vet_id has no index; passports.pet_id is the rowid; visits.pet_id leads the WITHOUT ROWID primary key
    expect(by('unindexed-foreign-key').map((f) => [f.table, f.evidence.columns, f.fixSql])).toEqual([
      ['main.pets', 'vet_id', 'CREATE INDEX idx_pets_vet_id ON pets (vet_id);'],
    ]);
    expect(sha256(path)).toBe(before);
  });
});
