/**
 * The head of a text log line: `<log_line_prefix>SEVERITY:  message`. Without
 * `--log-prefix` the first `SEVERITY:  ` marker (two spaces after the colon) ends the
 * prefix, and the prefix is searched for what it usually says: the process by `[%p]` or
 * the session id `%c`, user and database by `%u@%d`, `user=%u,db=%d`, Heroku's
 * `user="…" database="…"` or RDS's `:%u@%d:[%p]:`, the application by `app=%a`.
 * With `--log-prefix` (PostgreSQL's log_line_prefix syntax) the prefix is matched exactly.
 */
import { InputError } from '../../errors.js';

export interface PrefixInfo {
  readonly process: string;
  readonly user?: string;
  readonly database?: string;
  readonly application?: string;
}

export interface LineHead {
  readonly severity: string;
  /** The message after `SEVERITY:  `. */
  readonly text: string;
  readonly prefix: PrefixInfo;
}

/** Reads one line's head; null when the line is not a log line's first line. */
export type LineHeadReader = (line: string) => LineHead | null;

const SEVERITIES = 'LOG|ERROR|WARNING|NOTICE|INFO|DEBUG[1-5]?|FATAL|PANIC|DETAIL|HINT|CONTEXT|STATEMENT|QUERY|LOCATION';
const MARKER = new RegExp(`(?<![A-Za-z0-9_])(${SEVERITIES}): {2}`);

/** The head as the first marker finds it, the prefix read by readPrefix. */
export const readLineHead: LineHeadReader = (line) => {
  const marker = MARKER.exec(line);
  if (marker === null) return null;
  return {
    severity: marker[1] as string,
    text: line.slice(marker.index + marker[0].length),
    prefix: readPrefix(line.slice(0, marker.index)),
  };
};

const NAME = String.raw`"([^"]*)"|([^,\s\]"]*)`;
const DATABASE = new RegExp(String.raw`\b(?:db|database)=(?:${NAME})`);
const USER = new RegExp(String.raw`\buser=(?:${NAME})`);
const APPLICATION = new RegExp(String.raw`\b(?:app|application_name)=(?:${NAME})`);
const RDS_NAMES = /:([^\s:@]*)@([^\s:@]*):\[\d+\]:\s*$/;
const AT_PAIR = /([^\s[(]*)@([^\s@\]):,]*)[\]):,]*\s*$/;

/** What a log_line_prefix tells about the process, user, database and application of a line. */
export function readPrefix(prefix: string): PrefixInfo {
  const process = /\[(\d+)\]/.exec(prefix)?.[1] ?? /\b([0-9a-f]{6,8}\.[0-9a-f]{1,8})\b/.exec(prefix)?.[1] ?? '';
  const application = named(APPLICATION.exec(prefix));
  const database = named(DATABASE.exec(prefix));
  if (database !== undefined) return withNames(process, named(USER.exec(prefix)), database, application);
  const pair = RDS_NAMES.exec(prefix) ?? AT_PAIR.exec(prefix);
  return pair === null ? withNames(process, undefined, undefined, application) : withNames(process, pair[1], pair[2], application);
}

const named = (match: RegExpExecArray | null) => (match === null ? undefined : (match[1] ?? match[2]));

function withNames(process: string, user?: string, database?: string, application?: string): PrefixInfo {
  return {
    process,
    ...(user ? { user } : {}),
    ...(database ? { database } : {}),
    ...(application ? { application } : {}),
  };
}

type Field = 'user' | 'database' | 'application' | 'process' | 'session';

/** log_line_prefix escapes → the text they print (as a regex) and the field they tell, per PostgreSQL 12–18's docs. */
const TIMESTAMP = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`;
const ESCAPES: Readonly<Record<string, readonly [string, Field?]>> = {
  a: ['.*?', 'application'],
  u: ['.*?', 'user'],
  d: ['.*?', 'database'],
  r: ['.*?'],
  h: ['.*?'],
  L: ['.*?'],
  b: ['.*?'],
  p: [String.raw`\d+`, 'process'],
  P: [String.raw`\d*`],
  t: [`${TIMESTAMP}(?: \\S+)?`],
  m: [`${TIMESTAMP}\\.\\d+(?: \\S+)?`],
  n: [String.raw`\d+\.\d+`],
  i: ['.*?'],
  e: ['[0-9A-Z]{5}'],
  c: ['[0-9a-f]+\\.[0-9a-f]+', 'session'],
  l: [String.raw`\d+`],
  s: [`${TIMESTAMP}(?: \\S+)?`],
  v: ['.*?'],
  x: [String.raw`\d*`],
  Q: [String.raw`-?\d+`],
};

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A reader for lines written with this log_line_prefix (e.g. `%t [%p]: [%l-1] user=%u,db=%d `).
 * `%q` makes the rest optional (processes without a session stop there). Throws InputError
 * for an escape PostgreSQL does not have.
 */
export function compileLogPrefix(prefix: string): LineHeadReader {
  const fields: Field[] = [];
  let pattern = '';
  let optionalFrom = -1;
  for (let i = 0; i < prefix.length; i++) {
    const char = prefix[i] as string;
    if (char !== '%') {
      pattern += escapeRegex(char);
      continue;
    }
    const escape = /^(-?\d+)?(.)/.exec(prefix.slice(i + 1));
    if (escape === null) throw new InputError(`--log-prefix ends with a lone %: "${prefix}"`);
    i += escape[0].length;
    const letter = escape[2] as string;
    if (letter === '%') pattern += '%';
    else if (letter === 'q') optionalFrom = pattern.length;
    else {
      const known = ESCAPES[letter];
      if (known === undefined) throw new InputError(`--log-prefix has %${letter}, which log_line_prefix does not know: "${prefix}"`);
      const [text, field] = known;
      // a padded escape (%-10u) fills with spaces
      const padded = escape[1] === undefined ? text : ` *${text} *`;
      if (field === undefined) pattern += `(?:${padded})`;
      else {
        fields.push(field);
        pattern += escape[1] === undefined ? `(${text})` : ` *(${text}) *`;
      }
    }
  }
  if (optionalFrom >= 0) pattern = `${pattern.slice(0, optionalFrom)}(?:${pattern.slice(optionalFrom)})?`;
  const regex = new RegExp(`^${pattern}(${SEVERITIES}): {2}`);
  return (line) => {
    const match = regex.exec(line);
    if (match === null) return null;
    const values: Partial<Record<Field, string>> = {};
    fields.forEach((field, i) => {
      const value = match[i + 1];
      if (value !== undefined && value !== '' && values[field] === undefined) values[field] = value;
    });
    const process = values.process ?? values.session ?? '';
    return {
      severity: match[fields.length + 1] as string,
      text: line.slice(match[0].length),
      prefix: withNames(process, values.user, values.database, values.application),
    };
  };
}

/** Amazon RDS and Aurora PostgreSQL write this prefix, and it cannot be changed. */
export const RDS_LOG_PREFIX = '%t:%r:%u@%d:[%p]:';
