/**
 * Alembic's revision graph, read from the `revision =` and `down_revision =` lines of
 * the files in `versions/`: where to put a new revision and which one it follows. Pure.
 */
import { InputError } from '../../errors.js';
import { filesUnder } from './format.js';

export interface AlembicRevision {
  readonly file: string;
  readonly revision: string;
  readonly downRevisions: readonly string[];
}

/** The versions directory inside the output directory: `alembic/versions`, `versions`, or the directory itself. */
export function versionsDir(listing: readonly string[]): string {
  if (listing.includes('alembic/versions/')) return 'alembic/versions';
  if (listing.includes('versions/') && (listing.includes('env.py') || listing.includes('script.py.mako'))) return 'versions';
  return '.';
}

const ASSIGNMENT = (name: string) => new RegExp(`^${name}\\s*(?::[^=\\n]+)?=\\s*(.+)$`, 'm');

function quotedStrings(text: string): string[] {
  return [...text.matchAll(/(['"])([^'"]*)\1/g)].map((m) => m[2] as string);
}

/** The revision a file declares, or null when it declares none. */
export function readRevision(file: string, source: string): AlembicRevision | null {
  const revision = ASSIGNMENT('revision').exec(source);
  const [id] = revision ? quotedStrings(revision[1] as string) : [];
  if (id === undefined) return null;
  const down = ASSIGNMENT('down_revision').exec(source);
  return { file, revision: id, downRevisions: down ? quotedStrings(down[1] as string) : [] };
}

/** The head the new revision follows: null when there is no revision yet. */
export function alembicHead(revisions: readonly AlembicRevision[]): string | null {
  if (revisions.length === 0) return null;
  const parents = new Set(revisions.flatMap((r) => r.downRevisions));
  const heads = revisions.filter((r) => !parents.has(r.revision)).map((r) => r.revision);
  if (heads.length === 1) return heads[0] as string;
  if (heads.length === 0) throw new InputError('the Alembic revisions form a cycle: no head to follow');
  throw new InputError(
    `Alembic has several heads (${heads.sort().join(', ')}): merge them first (alembic merge heads), then run migrate again`,
  );
}

export function pythonFiles(listing: readonly string[], dir: string): string[] {
  return filesUnder(listing, dir).filter((f) => f.endsWith('.py') && f !== '__init__.py');
}
