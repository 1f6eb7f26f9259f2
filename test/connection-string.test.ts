import { describe, expect, it } from 'vitest';
import { parseConnectionString, redactConnectionString } from '../src/engines/connection-string.js';
import { pgClientSettings } from '../src/engines/postgres/pg-config.js';
import { InputError } from '../src/errors.js';

/** The libpq keywords a PostgreSQL connection string was read into. */
function keywords(text: string): Record<string, string> {
  const target = parseConnectionString(text);
  if (target.kind !== 'postgres') throw new Error(`${text} is not PostgreSQL`);
  return Object.fromEntries(target.conninfo.params);
}

describe('parseConnectionString', () => {
  it('recognizes PostgreSQL URLs', () => {
    expect(keywords('postgres://u:p@h:5432/db')).toEqual({ user: 'u', password: 'p', host: 'h', port: '5432', dbname: 'db' });
    expect(keywords('postgresql://h/db')).toEqual({ host: 'h', dbname: 'db' });
    expect(keywords('postgres://[::1]:5433/db?sslmode=disable')).toEqual({ host: '::1', port: '5433', dbname: 'db', sslmode: 'disable' });
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

describe('PostgreSQL passwords with the characters a URL reserves', () => {
  it('takes the userinfo up to the last "@" (before any "?"), so a raw "@", "/", ":", "%" or space stays in the password', () => {
    expect(keywords('postgres://u:Ab@Cd9@h/db')).toMatchObject({ user: 'u', password: 'Ab@Cd9', host: 'h', dbname: 'db' });
    expect(keywords('postgres://u:Sup3r/Secret@h:5432/db')).toMatchObject({ password: 'Sup3r/Secret', host: 'h', port: '5432' });
    expect(keywords('postgres://u:a:b:c@h/db')).toMatchObject({ user: 'u', password: 'a:b:c' });
    expect(keywords('postgres://u:50%off 2x@h/db')).toMatchObject({ password: '50%off 2x' });
    expect(keywords('postgres://u:#hash#@h/db')).toMatchObject({ password: '#hash#', host: 'h' });
  });

  it('decodes percent-encoded parts', () => {
    expect(keywords('postgres://us%40er:p%2F%40%3A%25%20x@h/my%20db')).toMatchObject({
      user: 'us@er',
      password: 'p/@:% x',
      dbname: 'my db',
    });
    expect(keywords('postgres://h/db?user=a&password=s%26cret&application_name=x')).toMatchObject({
      user: 'a',
      password: 's&cret',
      application_name: 'x',
    });
  });

  it('reads unix-socket forms', () => {
    expect(keywords('postgres://%2Fvar%2Frun%2Fpostgresql/db')).toMatchObject({ host: '/var/run/postgresql', dbname: 'db' });
    expect(keywords('postgresql:///db?host=/tmp/sock&port=5433')).toEqual({ dbname: 'db', host: '/tmp/sock', port: '5433' });
    expect(keywords('postgres://u:p@/db?host=/tmp/sock')).toEqual({ user: 'u', password: 'p', dbname: 'db', host: '/tmp/sock' });
    expect(keywords('host=/tmp/sock dbname=db')).toEqual({ host: '/tmp/sock', dbname: 'db' });
  });

  it("reads libpq's key/value form: bare and 'quoted' values, \\ escapes, spaces around =", () => {
    expect(keywords("host=h port=5433 user=u password='it\\'s a / @ : % pass' dbname=db")).toEqual({
      host: 'h',
      port: '5433',
      user: 'u',
      password: "it's a / @ : % pass",
      dbname: 'db',
    });
    expect(keywords('  host = h   password = p\\ q  dbname=db sslmode=require')).toEqual({
      host: 'h',
      password: 'p q',
      dbname: 'db',
      sslmode: 'require',
    });
  });

  it('refuses what it cannot read with a message that repeats nothing of the string', () => {
    const cases = [
      ['postgres://u:se?cret@h/db', /no "="/],
      ['postgres://u:pw@h:secret/db', /port is not a number/],
      ['postgres://u:12?secret@h/db', /no "="/],
      ['postgres://u:12?secret=x@h/db', /unknown parameter/],
      ['postgres://h/secret@x', /cannot tell the user name from the host/],
      ['postgres:secret@h', /malformed PostgreSQL URL/],
      ["host=h password='secret dbname=db", /no closing quote/],
      ['host=h password=my secret dbname=db', /not followed by "="/],
      ['host=h secret=x', /unknown parameter/],
      ['host=h port=secret', /port is not a number/],
      ["dbname='postgres://u:secret@h/db'", /dbname holds a connection string/],
      ['postgres://h/db?dbname=user%3Du%20password%3Dsecret', /dbname holds a connection string/],
    ] as const;
    for (const [text, reason] of cases) {
      expect(() => parseConnectionString(text), text).toThrow(InputError);
      expect(() => parseConnectionString(text), text).toThrow(reason);
      expect(() => parseConnectionString(text), text).not.toThrow(/secret/);
    }
    expect(() => parseConnectionString('host=h hostaddr=1.2.3.4')).toThrow(/"hostaddr" is not supported/);
  });
});

describe('redactConnectionString', () => {
  it('hides passwords in the userinfo and in query parameters', () => {
    expect(redactConnectionString('postgres://alice:s3cret@db:5432/app')).toBe('postgres://alice:***@db:5432/app');
    expect(redactConnectionString('postgres://db/app?user=a&password=s3cret&ssl=1')).toBe('postgres://a:***@db/app?ssl=1');
    expect(redactConnectionString('postgres://alice@db/app')).toBe('postgres://alice@db/app');
    expect(redactConnectionString('postgres://db/app?sslmode=require&sslpassword=s3cret')).toBe(
      'postgres://db/app?sslmode=require&sslpassword=***',
    );
  });

  it('shows every form of one database the same way, the password never', () => {
    const forms = [
      'postgres://u:Ab@Cd9@h:5432/db',
      'postgres://u:Ab%40Cd9@h:5432/db',
      "host=h port=5432 user=u password='Ab@Cd9' dbname=db",
      'postgres://h:5432/db?user=u&password=Ab%40Cd9',
    ];
    for (const form of forms) expect(redactConnectionString(form), form).toBe('postgres://u:***@h:5432/db');
    expect(redactConnectionString('postgres://u:Sup3r/Secret@h/db')).toBe('postgres://u:***@h/db');
    expect(redactConnectionString('host=/tmp/sock dbname=db user=u password=x')).toBe('postgres://u:***@/db?host=/tmp/sock');
    expect(redactConnectionString('postgres://[::1]/db')).toBe('postgres://[::1]/db');
    expect(redactConnectionString('postgres://h/db?sslmode=verify-ca&sslrootcert=/etc/ssl/root.crt')).toBe(
      'postgres://h/db?sslmode=verify-ca&sslrootcert=/etc/ssl/root.crt',
    );
  });

  it('escapes control characters and reduces what it cannot read to its kind', () => {
    expect(redactConnectionString('postgres://a\u001b[31mb@h/db')).toBe('postgres://a%1B%5B31mb@h/db');
    expect(redactConnectionString('postgres://u:1?secret@h/db')).toBe('postgres://… (not shown)');
    expect(redactConnectionString("host=h password='secret")).toBe('postgres://… (not shown)');
    expect(redactConnectionString('mysql://u:secret@h/db')).toBe('mysql:…');
    expect(redactConnectionString('sqlite:app.db')).toBe('sqlite:app.db');
  });
});

describe('pgClientSettings: libpq keywords → node-postgres', () => {
  const settings = (text: string, env: Record<string, string> = {}) => {
    const target = parseConnectionString(text);
    if (target.kind !== 'postgres') throw new Error('not PostgreSQL');
    return pgClientSettings(target.conninfo, env);
  };

  it('passes the parts as fields, never as a connection string', () => {
    const { config } = settings("host=h port=5433 user=u password='a@b/c' dbname=db application_name=app connect_timeout=1");
    expect(config).toMatchObject({ host: 'h', port: 5433, user: 'u', password: 'a@b/c', database: 'db', application_name: 'app' });
    expect(config.connectionString).toBeUndefined();
    expect(config.connectionTimeoutMillis).toBe(2000); // libpq waits at least 2 s
    expect(settings('postgres://h/db').config).toMatchObject({ application_name: 'indexwise', connectionTimeoutMillis: 10_000 });
  });

  it('reads sslmode as libpq does', () => {
    expect(settings('postgres://h/db?sslmode=disable').config.ssl).toBe(false);
    expect(settings('postgres://h/db?sslmode=require').config.ssl).toEqual({ rejectUnauthorized: false });
    expect(settings('postgres://h/db?ssl=true').config.ssl).toEqual({ rejectUnauthorized: false });
    expect(settings('postgres://h/db?sslmode=verify-full').config.ssl).toEqual({});
    expect(settings('postgres://h/db?sslmode=prefer')).toMatchObject({
      fallbackToPlain: true,
      config: { ssl: { rejectUnauthorized: false } },
    });
    expect(settings('postgres://h/db', { PGSSLMODE: 'disable' }).config.ssl).toBe(false);
    expect(settings('postgres://h/db').config.ssl).toBeUndefined();
    expect(() => settings('postgres://h/db?sslmode=maybe')).toThrow(/sslmode must be one of disable, allow, prefer/);
    expect(() => settings('postgres://h/db?sslmode=verify-full&sslrootcert=/nonexistent/root.crt')).toThrow(
      /cannot read sslrootcert \/nonexistent\/root\.crt: no such file/,
    );
  });
});
