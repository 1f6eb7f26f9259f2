/**
 * `drizzle`: a custom SQL migration in drizzle-kit's folder, as `generate --custom` makes
 * it: `<NNNN>_<name>.sql` with `--> statement-breakpoint` between statements, an entry in
 * `meta/_journal.json`, and a copy of the latest snapshot chained to it. Drizzle's migrator
 * runs pending migrations in one transaction, so the builds are not CONCURRENTLY (for a
 * big table, use `indexwise apply`). Drizzle has no down migrations: `<tag>.down.sql` sits
 * next to it for a rollback by hand. drizzle-kit v1 folders (`<stamp>_<name>/migration.sql`)
 * are written when the directory already uses them.
 */
import { createHash } from 'node:crypto';
import { extensionSteps, planSql, stepComment } from '../statements.js';
import { type FormatInput, isoTime, type MigrationFile, type MigrationFormat, utcStamp } from './format.js';

interface JournalEntry {
  readonly idx: number;
  readonly version: string;
  readonly when: number;
  readonly tag: string;
  readonly breakpoints: boolean;
}

interface Journal {
  readonly version: string;
  readonly dialect: string;
  readonly entries: readonly JournalEntry[];
}

const JOURNAL = 'meta/_journal.json';
const BREAKPOINT = '\n--> statement-breakpoint\n';

function latestSnapshot(listing: readonly string[]): string | null {
  const snapshots = listing.filter((p) => /^meta\/\d{4}_snapshot\.json$/.test(p)).sort();
  return snapshots[snapshots.length - 1] ?? null;
}

const usesFolders = (listing: readonly string[]) =>
  !listing.includes(JOURNAL) && listing.some((p) => /^\d{14}_[^/]+\/migration\.sql$/.test(p));

function script(input: FormatInput, direction: 'up' | 'down'): string {
  const { steps } = planSql(input.plan, { concurrently: false });
  const ordered = direction === 'up' ? steps : [...steps].reverse();
  const head = `-- indexwise migration (${direction}), ${isoTime(input.now)}: not CONCURRENTLY, Drizzle runs migrations in a transaction`;
  const extensions = direction === 'up' ? extensionSteps(input.plan).map((e) => `-- ${e.reason}\n${e.sql};`) : [];
  const chunks = [...extensions, ...ordered.map((s) => `${stepComment(s.step)}\n${direction === 'up' ? s.up : s.down};`)];
  return `${head}\n${chunks.join(BREAKPOINT)}\n`;
}

/** A UUID-shaped id derived from text (snapshots chain by id). */
function derivedUuid(text: string): string {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function journalFiles(input: FormatInput): MigrationFile[] {
  const existing = input.existing.get(JOURNAL);
  const journal: Journal = existing
    ? (JSON.parse(existing) as Journal)
    : { version: '7', dialect: input.plan.dialect === 'sqlite' ? 'sqlite' : 'postgresql', entries: [] };
  const idx = journal.entries.reduce((max, e) => Math.max(max, e.idx), -1) + 1;
  const tag = `${String(idx).padStart(4, '0')}_${input.name}`;
  const entry: JournalEntry = { idx, version: journal.version, when: input.now.getTime(), tag, breakpoints: true };
  const files: MigrationFile[] = [
    { path: `${tag}.sql`, contents: script(input, 'up') },
    { path: `${tag}.down.sql`, contents: script(input, 'down') },
    { path: JOURNAL, contents: `${JSON.stringify({ ...journal, entries: [...journal.entries, entry] }, null, 2)}\n`, replace: true },
  ];
  const snapshotPath = latestSnapshot(input.listing);
  const snapshot = snapshotPath === null ? undefined : input.existing.get(snapshotPath);
  if (snapshot !== undefined) {
    const previous = JSON.parse(snapshot) as { id?: string };
    const next = { ...previous, id: derivedUuid(`${tag}|${entry.when}`), prevId: previous.id };
    files.push({ path: `meta/${String(idx).padStart(4, '0')}_snapshot.json`, contents: `${JSON.stringify(next, null, 2)}\n` });
  }
  return files;
}

export const drizzleFormat: MigrationFormat = {
  id: 'drizzle',
  dialects: ['postgres', 'sqlite'],
  description: 'a drizzle-kit custom SQL migration (journal entry and snapshot included)',
  wants: (listing) => [
    ...(listing.includes(JOURNAL) ? [JOURNAL] : []),
    ...(latestSnapshot(listing) === null ? [] : [latestSnapshot(listing) as string]),
  ],
  render(input) {
    if (usesFolders(input.listing)) {
      const dir = `${utcStamp(input.now)}_${input.name}`;
      return {
        files: [
          { path: `${dir}/migration.sql`, contents: script(input, 'up') },
          { path: `${dir}/down.sql`, contents: script(input, 'down') },
        ],
        printed: null,
        notes: ['drizzle-kit v1 layout: run drizzle-kit generate once to refresh the snapshot'],
      };
    }
    const notes =
      input.plan.dialect === 'postgres'
        ? ['Drizzle runs migrations in a transaction: the indexes are built without CONCURRENTLY (use indexwise apply on a busy table)']
        : [];
    return { files: journalFiles(input), printed: null, notes };
  },
};
