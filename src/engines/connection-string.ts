/**
 * The one parser for `--db` / `DATABASE_URL`. Pure: it only reads the string.
 *
 *   postgres://… | postgresql://…        a PostgreSQL server (driver `pg`)
 *   host=… port=… dbname=… user=…        the same, in libpq's key/value form
 *   pglite:memory | pglite:DIR           embedded PostgreSQL (PGlite)
 *   sqlite:PATH | *.db | *.sqlite(3)     a SQLite file
 */
import { InputError } from '../errors.js';
import { describePgConninfo, isPgKeyValue, isPgUrl, type PgConninfo, parsePgKeyValue, parsePgUrl } from './postgres/conninfo.js';

export const ENGINE_KINDS = ['postgres', 'pglite', 'sqlite'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];

export type ConnectionTarget =
  | { readonly kind: 'postgres'; readonly conninfo: PgConninfo }
  | { readonly kind: 'pglite'; readonly dir: string | null }
  | { readonly kind: 'sqlite'; readonly path: string };

const SQLITE_EXTENSIONS = /\.(db|sqlite|sqlite3)$/i;

export function parseConnectionString(input: string | undefined): ConnectionTarget {
  const text = (input ?? '').trim();
  if (text === '') {
    throw new InputError(
      'no database given: pass --db URL or set DATABASE_URL (e.g. pglite:memory, postgres://user@host/db, sqlite:app.db)',
    );
  }
  if (isPgUrl(text)) return { kind: 'postgres', conninfo: parsePgUrl(text) };
  if (isPgKeyValue(text)) return { kind: 'postgres', conninfo: parsePgKeyValue(text) };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    throw new InputError(`malformed PostgreSQL URL (postgres://…, not shown): write ${scheme}://user:password@host:port/dbname`);
  }
  if (scheme === 'pglite') {
    const rest = text.slice('pglite:'.length).replace(/^\/\//, '');
    if (rest === '') throw new InputError('pglite: needs a directory or "memory" (pglite:memory, pglite:./data)');
    return { kind: 'pglite', dir: rest === 'memory' ? null : rest };
  }
  if (scheme === 'sqlite' || scheme === 'file') {
    const rest = text.slice(scheme.length + 1).replace(/^\/\/(?=\/)/, '');
    if (rest === '') throw new InputError(`${scheme}: needs a file path (sqlite:app.db)`);
    return { kind: 'sqlite', path: rest };
  }
  if (SQLITE_EXTENSIONS.test(text) && (scheme === undefined || /^[a-z]$/i.test(scheme))) {
    return { kind: 'sqlite', path: text };
  }
  throw new InputError(
    `unknown database ${unknownShown(text, scheme)}: use postgres://…, host=… dbname=…, pglite:memory, pglite:DIR, sqlite:PATH or a path ending in .db/.sqlite/.sqlite3`,
  );
}

/** An unknown database is named only by its scheme, or when it looks like a mistyped path. */
function unknownShown(text: string, scheme: string | undefined): string {
  if (scheme !== undefined) return `"${scheme}:"`;
  return /^[\w./~-]{1,200}$/.test(text) ? `"${text}"` : '(not shown)';
}

/**
 * Any connection string as it may be shown: in messages, in output, in the `target` of
 * JSON and reports, as the key of monitor snapshots. A PostgreSQL one is rebuilt from
 * its parts without the password (`***` where there was one), whatever its form; one
 * that cannot be read is reduced to its kind.
 */
export function redactConnectionString(text: string): string {
  try {
    return describeTarget(parseConnectionString(text));
  } catch {
    if (isPgUrl(text.trim()) || isPgKeyValue(text)) return 'postgres://… (not shown)';
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text.trim())?.[1];
    return scheme === undefined ? '(not shown)' : `${scheme}:…`;
  }
}

/** A short, password-free description of where we are connected. */
export function describeTarget(target: ConnectionTarget): string {
  switch (target.kind) {
    case 'postgres':
      return describePgConninfo(target.conninfo);
    case 'pglite':
      return target.dir === null ? 'pglite:memory' : `pglite:${target.dir}`;
    case 'sqlite':
      return `sqlite:${target.path}`;
  }
}
