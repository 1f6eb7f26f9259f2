/**
 * What a migration format is: a pure renderer from the plan (and the few existing
 * files it asked to read, e.g. Alembic's revisions or Drizzle's journal) to files.
 */
import { qualifiedKey } from '../../model/catalog.js';
import type { Dialect } from '../../sql/dialect.js';
import type { MigrationPlan } from '../plan.js';

export const FORMATS = ['sql', 'alembic', 'node-pg-migrate', 'knex', 'kysely', 'drizzle', 'prisma'] as const;
export type FormatId = (typeof FORMATS)[number];

export interface MigrationFile {
  /** Relative to the output directory, `/`-separated. */
  readonly path: string;
  readonly contents: string;
  /** Replace an existing file (a journal); new migration files never overwrite. */
  readonly replace?: boolean;
}

export interface FormatInput {
  readonly plan: MigrationPlan;
  readonly now: Date;
  /** snake_case, e.g. "indexwise_indexes". */
  readonly name: string;
  /** The output directory's own name (Prisma writes into `migrations/` unless it is that folder). */
  readonly outName: string;
  /** Paths under the output directory (directories end with `/`), a few levels deep. */
  readonly listing: readonly string[];
  /** The contents of the files `wants` named. */
  readonly existing: ReadonlyMap<string, string>;
}

export interface MigrationOutput {
  readonly files: readonly MigrationFile[];
  /** Text for stdout (Prisma's @@index lines). */
  readonly printed: string | null;
  readonly notes: readonly string[];
}

export interface MigrationFormat {
  readonly id: FormatId;
  readonly dialects: readonly Dialect[];
  readonly description: string;
  /** Existing files to read before rendering (paths relative to the output directory; `../x` allowed). */
  wants?(listing: readonly string[], outName: string): string[];
  render(input: FormatInput): MigrationOutput;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** YYYYMMDDHHMMSS in UTC: the prefix Knex, Prisma and most SQL runners use. */
export function utcStamp(now: Date): string {
  return `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
}

/** ISO time without milliseconds, for headers. */
export function isoTime(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A JavaScript string literal (JSON's escaping is valid JavaScript). */
export function jsString(text: string): string {
  return JSON.stringify(text);
}

/** The files under `dir/` in a listing, without the prefix. */
export function filesUnder(listing: readonly string[], dir: string): string[] {
  const prefix = dir === '' || dir === '.' ? '' : `${dir.replace(/\/$/, '')}/`;
  return listing
    .filter((p) => p.startsWith(prefix) && !p.endsWith('/') && !p.slice(prefix.length).includes('/'))
    .map((p) => p.slice(prefix.length));
}

export function joinPath(dir: string, file: string): string {
  return dir === '' || dir === '.' ? file : `${dir.replace(/\/$/, '')}/${file}`;
}

/** One header line per step for generated code comments. */
export function stepLines(plan: MigrationPlan): string[] {
  return plan.steps.map((s) =>
    s.kind === 'create'
      ? `create ${qualifiedKey(s.def.table.schema, s.name)} on ${s.def.table.name}`
      : `drop ${qualifiedKey(s.index)} (${s.check})`,
  );
}

export const NO_TRANSACTION_NOTE =
  'CREATE/DROP INDEX CONCURRENTLY must run outside a transaction. A concurrent build that fails leaves an INVALID index ' +
  'that IF NOT EXISTS then skips: look for it (SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid) and drop it before running again, ' +
  'or use `indexwise apply`, which does that for you.';

/** Wraps text at about 100 columns for comments. */
export function wrap(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
