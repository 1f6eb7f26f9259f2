/**
 * libpq keywords → node-postgres' ClientConfig. We hand `pg` the fields, never a
 * connection string: its parser (pg-connection-string) reads a raw "@" or "/" in a
 * password differently, cannot read the key/value form, and prints a multi-line
 * SECURITY WARNING for sslmode=prefer/require/verify-ca.
 *
 * sslmode means what it means to libpq (https://www.postgresql.org/docs/current/libpq-ssl.html):
 * require encrypts without checking the certificate (verify-ca when sslrootcert is given),
 * verify-ca checks the chain, verify-full the chain and the host name; prefer tries SSL and
 * falls back to a plain connection (pg-driver.ts), allow and disable connect in plain text.
 * node-postgres 8 reads require as verify-full; its next major version follows libpq too.
 */
import { readFileSync } from 'node:fs';
import type { ClientConfig } from 'pg';
import type { ConnectionOptions } from 'node:tls';
import { InputError } from '../../errors.js';
import type { PgConninfo } from './conninfo.js';

const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'] as const;
type SslMode = (typeof SSL_MODES)[number];

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export interface PgClientSettings {
  readonly config: ClientConfig;
  /** sslmode=prefer: try again without SSL when the server has none. */
  readonly fallbackToPlain: boolean;
}

/** `env` is where PGSSLMODE is read when the string has no sslmode (libpq does the same). */
export function pgClientSettings(info: PgConninfo, env: NodeJS.ProcessEnv = process.env): PgClientSettings {
  const p = info.params;
  const mode = sslModeOf(p, env);
  const timeout = p.has('connect_timeout') ? secondsValue(p.get('connect_timeout') as string, 'connect_timeout') : undefined;
  const config: ClientConfig = {
    host: p.get('host'),
    port: p.has('port') ? Number(p.get('port')) : undefined,
    user: p.get('user'),
    password: p.get('password'),
    database: p.get('dbname'),
    application_name: p.get('application_name') ?? p.get('fallback_application_name') ?? 'indexwise',
    options: p.get('options'),
    client_encoding: p.get('client_encoding'),
    ...(p.has('keepalives') ? { keepAlive: p.get('keepalives') !== '0' } : {}),
    ...(p.has('keepalives_idle')
      ? { keepAlive: true, keepAliveInitialDelayMillis: secondsValue(p.get('keepalives_idle') as string, 'keepalives_idle') * 1000 }
      : {}),
    // libpq: 0 waits forever, and any wait is at least 2 s.
    connectionTimeoutMillis: timeout === undefined ? DEFAULT_CONNECT_TIMEOUT_MS : timeout <= 0 ? 0 : Math.max(2, timeout) * 1000,
    ...(mode === undefined ? {} : { ssl: sslOptions(mode, p) }),
  };
  return { config, fallbackToPlain: mode === 'prefer' };
}

function sslModeOf(p: ReadonlyMap<string, string>, env: NodeJS.ProcessEnv): SslMode | undefined {
  // JDBC's ssl=true, which libpq reads as sslmode=require in a URL.
  const ssl = p.get('ssl');
  const text = p.get('sslmode') ?? (ssl === 'true' || ssl === '1' ? 'require' : ssl === 'false' || ssl === '0' ? 'disable' : undefined);
  if (ssl !== undefined && !['true', 'false', '1', '0'].includes(ssl))
    throw new InputError('ssl must be true or false in the connection string');
  const mode = text ?? env.PGSSLMODE;
  if (mode === undefined || mode === '') return p.has('sslcert') || p.has('sslrootcert') ? 'prefer' : undefined;
  if (!(SSL_MODES as readonly string[]).includes(mode)) throw new InputError(`sslmode must be one of ${SSL_MODES.join(', ')}`);
  return mode as SslMode;
}

function secondsValue(text: string, keyword: string): number {
  if (!/^-?\d+$/.test(text.trim())) throw new InputError(`${keyword} must be a whole number of seconds in the connection string`);
  return Number(text);
}

function sslOptions(mode: SslMode, p: ReadonlyMap<string, string>): false | ConnectionOptions {
  if (mode === 'disable' || mode === 'allow') return false;
  const files: ConnectionOptions = {
    ...(p.has('sslrootcert') ? { ca: readPem(p.get('sslrootcert') as string, 'sslrootcert') } : {}),
    ...(p.has('sslcert') ? { cert: readPem(p.get('sslcert') as string, 'sslcert') } : {}),
    ...(p.has('sslkey') ? { key: readPem(p.get('sslkey') as string, 'sslkey') } : {}),
    ...(p.has('sslpassword') ? { passphrase: p.get('sslpassword') } : {}),
  };
  const checkChainOnly = { ...files, checkServerIdentity: () => undefined };
  switch (mode) {
    case 'verify-full':
      return files;
    case 'verify-ca':
      return checkChainOnly;
    case 'require':
      return p.has('sslrootcert') ? checkChainOnly : { ...files, rejectUnauthorized: false };
    case 'prefer':
    case 'no-verify':
      return { ...files, rejectUnauthorized: false };
  }
}

function readPem(path: string, keyword: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new InputError(`cannot read ${keyword} ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}`);
  }
}
