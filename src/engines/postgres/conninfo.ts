/**
 * PostgreSQL connection strings → libpq keywords (host, port, user, password, dbname, …),
 * and back to a display form that never holds the password. Pure.
 *
 * Both of libpq's forms are read (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING):
 *   postgres://user:password@host:port/dbname?key=value&…   (or postgresql://)
 *   host=… port=… user=… password='it''s' dbname=…          (key/value; 'quoted' values, \ escapes)
 *
 * One difference from libpq, on purpose: in a URL the userinfo ends at the LAST "@" before
 * the first "?" (as in the WHATWG URL parser), not at the first "@" or "/" (libpq,
 * conninfo_uri_parse_options in fe-connect.c). So a password may hold raw "@", "/", ":",
 * spaces and "%" (a "%" not followed by two hex digits is kept as written); "?" must be
 * written %3F. libpq connects `postgres://u:Ab@Cd9@host/db` to the host "Cd9@host" and
 * echoes the rest of the password in its error; we connect to "host".
 *
 * Error messages never repeat any part of the string: when it is malformed we cannot
 * tell which part is the password.
 */
import { InputError } from '../../errors.js';

export interface PgConninfo {
  /** As written ('postgres' or 'postgresql'); a key/value string is shown as postgres://. */
  readonly scheme: 'postgres' | 'postgresql';
  /** libpq keyword → value, decoded; later settings override earlier ones, as in libpq. */
  readonly params: ReadonlyMap<string, string>;
}

/** The keywords indexwise passes on to the driver (see pg-config.ts); any other is refused. */
export const SUPPORTED_KEYWORDS = [
  'host',
  'port',
  'user',
  'password',
  'dbname',
  'sslmode',
  'sslrootcert',
  'sslcert',
  'sslkey',
  'sslpassword',
  'ssl',
  'application_name',
  'fallback_application_name',
  'options',
  'connect_timeout',
  'client_encoding',
  'keepalives',
  'keepalives_idle',
  'gssencmode',
] as const;

/** libpq keywords node-postgres cannot honour: refused by name (a name from this list is never part of a password). */
const UNSUPPORTED_LIBPQ_KEYWORDS = [
  'hostaddr',
  'service',
  'passfile',
  'require_auth',
  'channel_binding',
  'keepalives_interval',
  'keepalives_count',
  'tcp_user_timeout',
  'replication',
  'sslcompression',
  'sslcrl',
  'sslcrldir',
  'sslsni',
  'sslnegotiation',
  'ssl_min_protocol_version',
  'ssl_max_protocol_version',
  'requirepeer',
  'krbsrvname',
  'gsslib',
  'gssdelegation',
  'target_session_attrs',
  'load_balance_hosts',
];

const SECRET_KEYWORDS = new Set(['password', 'sslpassword']);

const URL_PREFIX = /^(postgres|postgresql):\/\//i;

export function isPgUrl(text: string): boolean {
  return URL_PREFIX.test(text);
}

/** libpq's key/value form starts with `keyword=`. */
export function isPgKeyValue(text: string): boolean {
  return /^\s*[a-z_][a-z0-9_]*\s*=/i.test(text);
}

const urlError = (reason: string) => new InputError(`malformed PostgreSQL URL (postgres://…, not shown): ${reason}`);
const keyValueError = (reason: string) => new InputError(`malformed key/value connection string (not shown): ${reason}`);

/** `%XX` sequences decoded; a "%" that starts none is kept as written. */
function decode(text: string): string {
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

export function parsePgUrl(text: string): PgConninfo {
  const prefix = URL_PREFIX.exec(text) as RegExpExecArray;
  const scheme = (prefix[1] as string).toLowerCase() as PgConninfo['scheme'];
  const rest = text.slice(prefix[0].length);
  const queryAt = rest.includes('?') ? rest.indexOf('?') : rest.length;
  const at = rest.lastIndexOf('@', queryAt - 1);
  const params = new Map<string, string>();
  if (at >= 0) readUserinfo(rest.slice(0, at), params);
  const afterUserinfo = rest.slice(at + 1, queryAt);
  const slash = afterUserinfo.indexOf('/');
  readHostPort(slash < 0 ? afterUserinfo : afterUserinfo.slice(0, slash), params);
  if (slash >= 0 && slash < afterUserinfo.length - 1) params.set('dbname', decode(afterUserinfo.slice(slash + 1)));
  if (queryAt < rest.length) readQuery(rest.slice(queryAt + 1), params);
  return { scheme, params: checked(params, urlError) };
}

function readUserinfo(userinfo: string, params: Map<string, string>): void {
  const colon = userinfo.indexOf(':');
  const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
  if (user.includes('/')) {
    throw urlError('cannot tell the user name from the host: write "/" and "@" in a user or database name as %2F and %40');
  }
  if (user !== '') params.set('user', decode(user));
  if (colon >= 0) params.set('password', decode(userinfo.slice(colon + 1)));
}

function readHostPort(hostPort: string, params: Map<string, string>): void {
  let host = hostPort;
  let port: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) throw urlError('an IPv6 host has no closing "]"');
    host = hostPort.slice(1, close);
    const tail = hostPort.slice(close + 1);
    if (tail !== '' && !tail.startsWith(':')) throw urlError('unexpected text after the IPv6 host');
    port = tail === '' ? undefined : tail.slice(1);
  } else if (hostPort.includes(':')) {
    host = hostPort.slice(0, hostPort.lastIndexOf(':'));
    port = hostPort.slice(hostPort.lastIndexOf(':') + 1);
  }
  if (host !== '') params.set('host', decode(host));
  if (port !== undefined && port !== '') params.set('port', port);
}

function readQuery(query: string, params: Map<string, string>): void {
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq < 0) throw urlError('a query parameter has no "=" (write "?" in a password as %3F)');
    params.set(decode(pair.slice(0, eq)), decode(pair.slice(eq + 1)));
  }
}

/** libpq's conninfo_parse: `keyword = value` pairs; a value is bare or 'quoted', and \ escapes the next character. */
export function parsePgKeyValue(text: string): PgConninfo {
  const params = new Map<string, string>();
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  for (skipSpace(); i < text.length; skipSpace()) {
    const start = i;
    while (i < text.length && text[i] !== '=' && !/\s/.test(text[i] as string)) i++;
    const keyword = text.slice(start, i);
    skipSpace();
    if (text[i] !== '=') throw keyValueError('a word is not followed by "=" (a value with spaces goes in single quotes: password=\'…\')');
    i++;
    skipSpace();
    const [value, end] = text[i] === "'" ? quotedValue(text, i + 1) : bareValue(text, i);
    params.set(keyword, value);
    i = end;
  }
  return { scheme: 'postgres', params: checked(params, keyValueError) };
}

function quotedValue(text: string, from: number): [string, number] {
  let value = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "'") return [value, i + 1];
    if (c === '\\' && i + 1 < text.length) i++;
    value += text[i];
  }
  throw keyValueError('a quoted value has no closing quote');
}

function bareValue(text: string, from: number): [string, number] {
  let value = '';
  let i = from;
  for (; i < text.length && !/\s/.test(text[i] as string); i++) {
    if (text[i] === '\\' && i + 1 < text.length) i++;
    value += text[i];
  }
  return [value, i];
}

function checked(params: Map<string, string>, error: (reason: string) => InputError): ReadonlyMap<string, string> {
  for (const keyword of params.keys()) {
    if ((SUPPORTED_KEYWORDS as readonly string[]).includes(keyword)) continue;
    throw error(
      UNSUPPORTED_LIBPQ_KEYWORDS.includes(keyword)
        ? `the parameter "${keyword}" is not supported`
        : `an unknown parameter (indexwise takes ${SUPPORTED_KEYWORDS.join(', ')})`,
    );
  }
  // libpq can expand a connection string given as dbname; we do not, and would show it (password included) as a name.
  const dbname = params.get('dbname') ?? '';
  if (isPgUrl(dbname) || isPgKeyValue(dbname)) throw error('dbname holds a connection string: give the connection string alone');
  const port = params.get('port');
  if (port !== undefined && !/^\d{1,5}$/.test(port)) throw error('the port is not a number (write "?" in a password as %3F)');
  return params;
}

/** Percent-encodes what would make the display ambiguous or reach the terminal as a control character. */
const shown = (value: string, keep = '') =>
  [...value].map((c) => (/[\w.~-]/.test(c) || keep.includes(c) ? c : encodeURIComponent(c))).join('');

/** `postgres://user:***@host:port/dbname?key=value`: the password (and sslpassword) never, `***` where there was one. */
export function describePgConninfo(info: PgConninfo): string {
  const p = info.params;
  const host = p.get('host') ?? '';
  const socket = host.startsWith('/');
  const user = p.has('user') ? shown(p.get('user') as string) : '';
  const userinfo = p.has('password') ? `${user}:***@` : user !== '' ? `${user}@` : '';
  const hostPart = socket ? '' : host.includes(':') ? `[${shown(host, ':')}]` : shown(host, ',');
  const port = p.has('port') ? `:${p.get('port')}` : '';
  const db = p.has('dbname') ? `/${shown(p.get('dbname') as string)}` : '';
  const query = [...p]
    .filter(([key]) => !['user', 'password', 'port', 'dbname'].includes(key) && (key !== 'host' || socket))
    .map(([key, value]) => `${key}=${SECRET_KEYWORDS.has(key) ? '***' : shown(value, '/')}`);
  return `${info.scheme}://${userinfo}${hostPart}${port}${db}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}
