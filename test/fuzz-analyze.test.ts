/**
 * Fuzzing the workload path (collector → analysis): random token soup, mutations of
 * valid statements and hostile identifiers. Nothing may throw or hang; every statement
 * is accounted for, and every one that cannot be used is skipped with a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeWorkload } from '../src/analysis/analyze-workload.js';
import { loadParser } from '../src/analysis/parse.js';
import type { Catalog } from '../src/model/catalog.js';
import { WorkloadCollector } from '../src/workload/collector.js';
import { PGLITE, type TestEngine } from './helpers/engines.js';

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALID = [
  'SELECT id, email FROM users WHERE email = $1 AND deleted_at IS NULL',
  'SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.status IN (1, 2) ORDER BY o.created_at DESC LIMIT 10',
  'WITH r AS (SELECT * FROM orders WHERE total > 5) SELECT count(*) FROM r WHERE r.user_id = 3 GROUP BY r.status',
  "UPDATE orders SET status = 'x' WHERE id = $1 RETURNING id",
  "DELETE FROM users WHERE created_at < now() - interval '1 day'",
  "INSERT INTO orders (id, user_id) SELECT id, id FROM users WHERE email LIKE 'a%'",
  'SELECT * FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id) OR u.email = $2',
  'SELECT "Weird ""Name""".x FROM "Weird ""Name"""',
];

const HOSTILE_NAMES = [
  '"a""b"',
  '"; DROP TABLE users; --"',
  `"${'x'.repeat(5000)}"`,
  '"ünïcødé 名前"',
  '"\u0000nul"',
  '"emoji 🚀"',
  '"select"',
  '"$1"',
  '"\\\\"',
  '"it\'s"',
  '"/* c */"',
  '"--"',
];

const TOKENS = [
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  '(',
  ')',
  ',',
  ';',
  '=',
  '<',
  '>',
  '<=',
  'IN',
  'LIKE',
  'IS',
  'NULL',
  'JOIN',
  'ON',
  'GROUP',
  'BY',
  'ORDER',
  'LIMIT',
  'WITH',
  'AS',
  'users',
  'orders',
  'id',
  'email',
  '$1',
  '42',
  "'str'",
  '*',
  '.',
  'INSERT',
  'INTO',
  'VALUES',
  'UPDATE',
  'SET',
  'DELETE',
  'UNION',
  'EXISTS',
  '::',
  'int',
  '$$x$$',
  '--c\n',
  '/*',
  '*/',
  "'",
  '"',
  '`',
  '?',
  ':name',
  '\u0000',
  '\\',
  'ü',
  '🚀',
];

function soup(next: () => number): string {
  const length = 1 + Math.floor(next() * 30);
  return Array.from({ length }, () => TOKENS[Math.floor(next() * TOKENS.length)]).join(next() < 0.8 ? ' ' : '');
}

function mutate(sql: string, next: () => number): string {
  const chars = [...sql];
  const edits = 1 + Math.floor(next() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (chars.length + 1));
    const kind = next();
    if (kind < 0.3) chars.splice(at, 1 + Math.floor(next() * 5));
    else if (kind < 0.6) chars.splice(at, 0, ...(TOKENS[Math.floor(next() * TOKENS.length)] ?? ''));
    else if (kind < 0.8) chars.splice(at, 0, ...(HOSTILE_NAMES[Math.floor(next() * HOSTILE_NAMES.length)] ?? ''));
    else chars.splice(at, 0, chars[Math.floor(next() * chars.length)] ?? ';');
  }
  return chars.join('');
}

function hostile(next: () => number): string {
  const name = HOSTILE_NAMES[Math.floor(next() * HOSTILE_NAMES.length)] ?? '"x"';
  const shapes = [
    `SELECT ${name} FROM ${name} WHERE ${name} = $1`,
    `SELECT id FROM users ${name} WHERE ${name}.email = 'a' ORDER BY ${name}.id`,
    `WITH ${name} AS (SELECT 1) SELECT * FROM ${name}`,
    `SELECT ${'('.repeat(1 + Math.floor(next() * 2000))}1${')'.repeat(1 + Math.floor(next() * 2000))}`,
    `SELECT id FROM users WHERE ${Array.from({ length: 1 + Math.floor(next() * 500) }, (_, i) => `email = '${i}'`).join(' OR ')}`,
  ];
  return shapes[Math.floor(next() * shapes.length)] ?? name;
}

let db: TestEngine;
let catalog: Catalog;

beforeAll(async () => {
  await loadParser();
  db = await PGLITE.open('fuzz');
  await db.setup(`CREATE TABLE users (id int PRIMARY KEY, email text, status int, created_at timestamptz, deleted_at timestamptz);
    CREATE TABLE orders (id int PRIMARY KEY, user_id int, status text, total int, created_at timestamptz);
    CREATE TABLE "Weird ""Name""" (x int);`);
  catalog = await db.engine.catalog();
});
afterAll(async () => db?.cleanup());

describe('fuzzing analyze', () => {
  it('survives 12,000 random, mutated and hostile statements; every one is accounted for', () => {
    const next = random(20261126);
    const inputs: string[] = [];
    for (let i = 0; i < 4000; i++) inputs.push(soup(next));
    for (let i = 0; i < 6000; i++) inputs.push(mutate(VALID[i % VALID.length] as string, next));
    for (let i = 0; i < 2000; i++) inputs.push(hostile(next));

    const started = performance.now();
    const collector = new WorkloadCollector();
    for (const sql of inputs) collector.add({ sql, source: 'fuzz' });
    const workload = collector.result();
    const analysis = analyzeWorkload(workload, catalog);
    const seconds = (performance.now() - started) / 1000;

    expect(seconds).toBeLessThan(120); // no hang (a generous bound: this is not a speed test)
    expect(workload.queries.length).toBeGreaterThan(100);
    expect(workload.skipped.length).toBeGreaterThan(100);
    for (const skipped of workload.skipped) expect(skipped.reason, skipped.sql.slice(0, 80)).toMatch(/^parse error: \S/);
    // every analyzed query has a result or an error message, never an exception
    for (const query of analysis.queries) expect(query.analysis !== null || (query.error ?? '').length > 0).toBe(true);
    // the hostile names reach the analysis as names, never as SQL
    const names = analysis.queries.flatMap((q) => q.analysis?.unknownTables ?? []);
    expect(names.some((n) => n.includes('DROP TABLE'))).toBe(true);
  });

  it('a statement the parser rejects is reported and the others still count', () => {
    const collector = new WorkloadCollector();
    collector.add({ sql: 'SELECT id FROM users WHERE email = $1', source: 'fuzz' });
    collector.add({ sql: "SELECT id FROM users WHERE email = 'unterminated", source: 'fuzz' });
    collector.add({ sql: 'SELECT \u0000 FROM users', source: 'fuzz' });
    const workload = collector.result();
    expect(workload.queries).toHaveLength(1);
    expect(workload.skipped).toHaveLength(2);
    expect(workload.skipped.every((s) => s.reason.startsWith('parse error: '))).toBe(true);
  });
});
