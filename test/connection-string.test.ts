import { describe, expect, it } from 'vitest';
import { parseConnectionString, redactConnectionString } from '../src/engines/connection-string.js';
import { InputError } from '../src/errors.js';

describe('parseConnectionString', () => {
  it('recognizes PostgreSQL URLs', () => {
    expect(parseConnectionString('postgres://u:p@h:5432/db')).toEqual({ kind: 'postgres', url: 'postgres://u:p@h:5432/db' });
    expect(parseConnectionString('postgresql://h/db').kind).toBe('postgres');
  });

  it('recognizes PGlite in memory and on disk', () => {
    expect(parseConnectionString('pglite:memory')).toEqual({ kind: 'pglite', dir: null });
    expect(parseConnectionString('pglite:./data')).toEqual({ kind: 'pglite', dir: './data' });
    expect(parseConnectionString('pglite:///tmp/x')).toEqual({ kind: 'pglite', dir: '/tmp/x' });
  });

  it('recognizes SQLite by scheme and by file extension', () => {
    expect(parseConnectionString('sqlite:app.db')).toEqual({ kind: 'sqlite', path: 'app.db' });
    expect(parseConnectionString('./data/app.sqlite3')).toEqual({ kind: 'sqlite', path: './data/app.sqlite3' });
    expect(parseConnectionString('/abs/app.SQLITE')).toEqual({ kind: 'sqlite', path: '/abs/app.SQLITE' });
    expect(parseConnectionString('C:\\data\\app.db')).toEqual({ kind: 'sqlite', path: 'C:\\data\\app.db' });
  });

  it('rejects unknown schemes, empty input and malformed URLs with a clear error', () => {
    expect(() => parseConnectionString('mysql://root@localhost/x')).toThrow(InputError);
    expect(() => parseConnectionString('mysql://root:secret@localhost/x')).toThrow(/unknown database "mysql:"/);
    expect(() => parseConnectionString('')).toThrow(/no database given/);
    expect(() => parseConnectionString(undefined)).toThrow(InputError);
    expect(() => parseConnectionString('pglite:')).toThrow(/needs a directory/);
    expect(() => parseConnectionString('postgres://u:secret@[bad')).toThrow(/malformed/);
    expect(() => parseConnectionString('postgres://u:secret@[bad')).not.toThrow(/secret/);
  });
});

describe('redactConnectionString', () => {
  it('hides passwords in the userinfo and in query parameters', () => {
    expect(redactConnectionString('postgres://alice:s3cret@db:5432/app')).toBe('postgres://alice:***@db:5432/app');
    expect(redactConnectionString('postgres://db/app?user=a&password=s3cret&ssl=1')).toBe('postgres://db/app?user=a&password=***&ssl=1');
    expect(redactConnectionString('postgres://alice@db/app')).toBe('postgres://alice@db/app');
  });
});
