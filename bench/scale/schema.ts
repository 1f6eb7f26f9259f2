/**
 * The synthetic multi-tenant SaaS schema: tables t0001…tNNNN, each with an id primary
 * key, a tenant, one to three foreign keys to earlier tables (a quarter of them
 * indexed), a low-cardinality status, timestamps, a mostly-NULL deleted_at, an amount
 * and three text columns. A few tables are large (~100k rows), the others 1k–20k,
 * spread log-uniformly. Pure.
 */
import type { Random } from './random.js';

export interface ForeignKey {
  /** `<referenced table>_id`, e.g. t0003_id. */
  readonly column: string;
  readonly references: string;
  /** Whether the schema has an index on the column (most foreign keys have none). */
  readonly indexed: boolean;
}

export interface ScaleTable {
  readonly name: string;
  readonly rows: number;
  readonly foreignKeys: readonly ForeignKey[];
}

export const LARGE_ROWS = 100_000;
const SMALL_ROWS = { low: 1_000, high: 20_000 } as const;
const MAX_FOREIGN_KEYS = 3;
const INDEXED_SHARE = 0.25;
/** The first tables of a schema are its hubs (accounts, users, …): half of the foreign keys point at one of them. */
const HUB_SHARE = 0.05;

export function tableName(position: number): string {
  return `t${String(position).padStart(4, '0')}`;
}

/** A few large tables: one in a hundred, at least two (never the first: it has no foreign key to grow from). */
function largeTables(count: number, random: Random): Set<number> {
  const wanted = Math.min(count - 1, Math.max(2, Math.round(count / 100)));
  const positions = random.shuffle(Array.from({ length: Math.max(0, count - 1) }, (_, i) => i + 2));
  return new Set(positions.slice(0, wanted));
}

function foreignKeys(position: number, random: Random): ForeignKey[] {
  const earlier = position - 1;
  if (earlier === 0) return [];
  const wanted = 1 + random.below(Math.min(MAX_FOREIGN_KEYS, earlier));
  const hubs = Math.max(1, Math.round(earlier * HUB_SHARE));
  const chosen = new Set<number>();
  while (chosen.size < wanted) chosen.add(1 + (random.next() < 0.5 ? random.below(Math.min(hubs, earlier)) : random.below(earlier)));
  return [...chosen]
    .sort((a, b) => a - b)
    .map((target) => ({ column: `${tableName(target)}_id`, references: tableName(target), indexed: random.next() < INDEXED_SHARE }));
}

export function generateTables(count: number, random: Random): ScaleTable[] {
  if (!Number.isInteger(count) || count < 1 || count > 9999) throw new Error(`table count must be 1–9999, not ${count}`);
  const large = largeTables(count, random);
  return Array.from({ length: count }, (_, i) => {
    const position = i + 1;
    const rows = large.has(position) ? LARGE_ROWS : Math.round(random.logUniform(SMALL_ROWS.low, SMALL_ROWS.high) / 100) * 100;
    return { name: tableName(position), rows, foreignKeys: foreignKeys(position, random) };
  });
}
