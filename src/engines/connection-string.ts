/**
 * The one parser for `--db` / `DATABASE_URL`. Pure: it only reads the string.
 *
 *   postgres://… | postgresql://…        a PostgreSQL server (driver `pg`)
 *   pglite:memory | pglite:DIR           embedded PostgreSQL (PGlite)
 *   sqlite:PATH | *.db | *.sqlite(3)     a SQLite file
 */
import { InputError } from '../errors.js';

export const ENGINE_KINDS = ['postgres', 'pglite', 'sqlite'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];

export type ConnectionTarget =
  | { readonly kind: 'postgres'; readonly url: string }
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
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    return { kind: 'postgres', url: validPostgresUrl(text) };
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
  const shown = scheme === undefined ? redactConnectionString(text) : `${scheme}:`;
  throw new InputError(
    `unknown database "${shown}": use postgres://…, pglite:memory, pglite:DIR, sqlite:PATH or a path ending in .db/.sqlite/.sqlite3`,
  );
}

function validPostgresUrl(text: string): string {
  try {
    // The URL parser accepts what libpq accepts for the parts we care about.
    new URL(text);
  } catch {
    throw new InputError(`malformed PostgreSQL URL "${redactConnectionString(text)}"`);
  }
  return text;
}

/** The string with any password replaced by `***`, safe to print. */
export function redactConnectionString(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@').replace(/([?&]password=)[^&]*/gi, '$1***');
}

/** A short, password-free description of where we are connected. */
export function describeTarget(target: ConnectionTarget): string {
  switch (target.kind) {
    case 'postgres':
      return redactConnectionString(target.url);
    case 'pglite':
      return target.dir === null ? 'pglite:memory' : `pglite:${target.dir}`;
    case 'sqlite':
      return `sqlite:${target.path}`;
  }
}
