/**
 * `--from log:FILE`: a PostgreSQL server log, plain or compressed (gzip, bzip2, xz, zstd:
 * decompress.ts, told by content), read as a stream (constant memory on a multi-GB log).
 * The format comes from `--log-format`, else the name (`.csv`, `.json`), else the first
 * lines of the text: JSON records (jsonlog, CloudNativePG, Cloud Logging, Azure,
 * CloudWatch: parsers/jsonlog.ts), csvlog, syslog or logplex, RDS's prefix, else stderr.
 * `--log-prefix` gives a text log's log_line_prefix when the guess is not enough.
 * `--log-database`, `--log-user` and `--log-application` keep one database's, user's or
 * application's entries, before they are read as statements. Which lines count, and how
 * each execution counts once: parsers/log-messages.ts.
 *
 * Never a silent empty result: an empty file, a binary one, and a file not one line of
 * which is a PostgreSQL log line are InputErrors; lines that are not log lines are
 * counted with the reason, in the summary given to `onSummary`.
 */
import { open, stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { IndexwiseError, InputError, oneLine } from '../../errors.js';
import { formatBytes } from '../../format.js';
import type { LogFileSummary, RawStatement } from '../../model/workload.js';
import { parseCsvLog } from '../parsers/csvlog.js';
import { parseJsonLog } from '../parsers/jsonlog.js';
import { type LogEntry, LogTally } from '../parsers/log-entry.js';
import { LogStatementReader } from '../parsers/log-messages.js';
import { compileLogPrefix, type LineHeadReader, RDS_LOG_PREFIX } from '../parsers/log-prefix.js';
import { parseStderrLog } from '../parsers/stderr.js';
import { parseSyslogLog, SYSLOG_LINE } from '../parsers/syslog.js';
import { loadParser } from '../../analysis/parse.js';
import { type Compression, detectCompression, openDecompressed } from './decompress.js';

/** Every value `--log-format` takes. The JSON ones share one reader, which tells the shapes apart per record. */
export const LOG_FORMATS = ['stderr', 'csvlog', 'jsonlog', 'syslog', 'logplex', 'rds', 'cloudnativepg', 'cloud-logging', 'azure'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LogReadOptions {
  /** Default: detected by detectLogFormat. */
  readonly format?: LogFormat;
  /** The log_line_prefix of a text log (stderr, syslog, logplex, text inside JSON). */
  readonly prefix?: string;
  /** Only this database's statements; the log must record database names (csvlog, jsonlog, %d in the prefix). */
  readonly database?: string;
  /** Only this user's statements (%u). */
  readonly user?: string;
  /** Only this application's statements (%a). */
  readonly application?: string;
  /** Called as the file is read; bytes of the file as stored (compressed, for a compressed file). */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** The longest line read, in bytes (default MAX_LINE_BYTES); a longer one stops the read with an InputError. */
  readonly maxLineBytes?: number;

  /** Called once the file is read: its lines, and the lines skipped with their reasons. */
  readonly onSummary?: (summary: LogFileSummary) => void;
}

/**
 * A line is one string to the parsers, and V8 cannot make a string of more than 2^29 − 24
 * characters: a longer line (a runaway bulk INSERT, a file that is not a log) would crash
 * the read with "Invalid string length". Half of that is the most a line may hold.
 */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;

type Parser = (input: Readable, tally: LogTally, readHead?: LineHeadReader) => AsyncGenerator<LogEntry>;
const PARSERS: Readonly<Record<LogFormat, Parser>> = {
  stderr: parseStderrLog,
  rds: parseStderrLog,
  syslog: parseSyslogLog,
  logplex: parseSyslogLog,
  csvlog: parseCsvLog,
  jsonlog: parseJsonLog,
  cloudnativepg: parseJsonLog,
  'cloud-logging': parseJsonLog,
  azure: parseJsonLog,
};
const HEAD_BYTES = 64 * 1024;
const READ_CHUNK_BYTES = 1024 * 1024;
const QUOTED = String.raw`"(?:[^"]|"")*"`;
const CSV_LOG_LINE = new RegExp(
  String.raw`^"?\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [^,"]*)?"?,(?:${QUOTED}|[^,"]*),(?:${QUOTED}|[^,"]*),"?\d+"?,`,
);
const RDS_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+:[^:\s]*:[^@\s]*@[^:\s]*:\[\d+\]:/;
const FILTERS = [
  ['database', '--log-database', 'database names', '%d'],
  ['user', '--log-user', 'user names', '%u'],
  ['application', '--log-application', 'application names', '%a'],
] as const;

/** The log's format, from its name, else from its first lines of text; stderr when unsure. */
export function detectLogFormat(path: string, headText: string): LogFormat {
  const name = path.toLowerCase().replace(/\.(gz|bz2|xz|zst)$/, '');
  if (name.endsWith('.csv')) return 'csvlog';
  if (name.endsWith('.json') || name.endsWith('.jsonl')) return 'jsonlog';
  const lines = headText.replace(/^\uFEFF/, '').split('\n', 50);
  // the last line of the head may be cut
  if (lines.length > 1) lines.pop();
  for (const line of lines) {
    if (line.trim() === '') continue;
    if (/^\s*[[{]/.test(line)) return 'jsonlog';
    if (CSV_LOG_LINE.test(line)) return 'csvlog';
    if (SYSLOG_LINE.test(line)) return / app\[postgres\.\d+\]: /.test(line) ? 'logplex' : 'syslog';
    if (RDS_LINE.test(line)) return 'rds';
  }
  return 'stderr';
}

/** Bytes that are no text: a NUL, or many control characters. */
function looksBinary(head: Uint8Array): boolean {
  const sample = head.subarray(0, 4096);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if (byte < 32 && byte !== 9 && byte !== 10 && byte !== 13 && byte !== 12 && byte !== 27) control++;
  }
  return control > sample.length / 20;
}

/** The statements of a server log, streamed. Throws InputError for a file it cannot read. */
export async function* readLogStatements(path: string, options: LogReadOptions = {}): AsyncGenerator<RawStatement> {
  // SQL-level EXECUTEs are matched to their PREPARE with the real scanner
  await loadParser();
  const { size, head } = await openLog(path);
  if (size === 0) throw new InputError(`cannot read ${path}: the file is empty`);
  const compression = detectCompression(path, head);
  if (compression === null && looksBinary(head)) throw notText(path);
  const readHead = options.prefix === undefined ? undefined : compileLogPrefix(options.prefix);
  const file = openDecompressed(path, compression, (bytes) => options.onProgress?.(bytes, size), READ_CHUNK_BYTES);
  const reader = new LogStatementReader(`log:${path}`);
  const tally = new LogTally();
  const named = { database: false, user: false, application: false };
  let format: LogFormat | undefined;
  const capped = lineCap(path, options.maxLineBytes ?? MAX_LINE_BYTES);
  file.text.on('error', (error) => capped.destroy(error));
  try {
    const text = await withHead(file.text.pipe(capped));
    if (text.head.length === 0) throw new InputError(`cannot read ${path}: it holds nothing once decompressed (${compression})`);
    if (looksBinary(text.head)) throw notText(path);
    format = options.format ?? detectLogFormat(path, text.head.toString('utf8'));
    const prefixReader = readHead ?? (format === 'rds' ? compileLogPrefix(RDS_LOG_PREFIX) : undefined);
    for await (const entry of PARSERS[format](text.stream, tally, prefixReader)) {
      if (!kept(entry, options, named)) continue;
      const statements = reader.read(entry);
      if (statements.length > 0) yield* statements;
    }
  } catch (error) {
    throw hasErrorCode(error) ? readError(path, error) : error;
  } finally {
    capped.destroy();
    file.close();
  }
  yield* reader.finish();
  if (tally.logLines === 0) throw noLogLines(path, format as LogFormat, tally, options.prefix);
  for (const [key, flag, what, escape] of FILTERS) {
    if (options[key] !== undefined && !named[key])
      throw new InputError(`${path} does not record ${what}: ${flag} needs csvlog, jsonlog or ${escape} in log_line_prefix (--log-prefix)`);
  }
  options.onSummary?.(summary(path, format as LogFormat, compression, tally));
}

function kept(entry: LogEntry, options: LogReadOptions, named: Record<'database' | 'user' | 'application', boolean>): boolean {
  for (const [key] of FILTERS) {
    const wanted = options[key];
    if (wanted === undefined) continue;
    named[key] ||= entry[key] !== undefined;
    if (entry[key] !== wanted) return false;
  }
  return true;
}

function summary(path: string, format: LogFormat, compression: Compression | null, tally: LogTally): LogFileSummary {
  return {
    source: `log:${path}`,
    format,
    compression,
    lines: tally.lines,
    logLines: tally.logLines,
    skippedLines: tally.lines - tally.logLines,
    skipped: tally.skipped,
  };
}

const notText = (path: string) => new InputError(`cannot read ${path}: it is binary data, not a text log, nor gzip, bzip2, xz or zstd`);

function noLogLines(path: string, format: LogFormat, tally: LogTally, prefix: string | undefined): InputError {
  const given = prefix === undefined ? `read as ${format}` : `read as ${format} with --log-prefix '${prefix}'`;
  return new InputError(
    `cannot read ${path}: not one of its ${tally.lines} lines looks like a PostgreSQL log line (${given}); ` +
      `give its format with --log-format (${LOG_FORMATS.join(', ')}) or its log_line_prefix with --log-prefix`,
  );
}

/** The first HEAD_BYTES (or all) of a stream, and a stream of all of it. */
async function withHead(input: Readable): Promise<{ head: Buffer; stream: Readable }> {
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const seen: Buffer[] = [];
  let bytes = 0;
  let done = false;
  while (bytes < HEAD_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      done = true;
      break;
    }
    seen.push(next.value);
    bytes += next.value.length;
  }
  async function* all(): AsyncGenerator<Buffer> {
    yield* seen;
    if (done) return;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  return { head: Buffer.concat(seen), stream: Readable.from(all(), { objectMode: false }) };
}

/** Passes the text through, stopping with an InputError at a line longer than `maxBytes`. */
function lineCap(path: string, maxBytes: number): Transform {
  let line = 1;
  let length = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (let from = 0; ;) {
        const newline = chunk.indexOf(10, from);
        length += (newline === -1 ? chunk.length : newline) - from;
        if (length > maxBytes) {
          done(
            new InputError(
              `cannot read ${path}: line ${line} is longer than ${formatBytes(maxBytes)}, the most indexwise reads as one line`,
            ),
          );
          return;
        }
        if (newline === -1) break;
        line++;
        length = 0;
        from = newline + 1;
      }
      done(null, chunk);
    },
  });
}

async function openLog(path: string): Promise<{ size: number; head: Buffer }> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const handle = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
      return { size: info.size, head: buffer.subarray(0, bytesRead) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw readError(path, error);
  }
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  Z_DATA_ERROR: 'not a valid gzip file',
  Z_BUF_ERROR: 'the gzip file is cut short',
};

/** fs and zlib errors carry a code; anything else is not the file's fault. */
function hasErrorCode(error: unknown): boolean {
  return !(error instanceof IndexwiseError) && typeof (error as { code?: unknown } | null)?.code === 'string';
}

function readError(path: string, error: unknown): InputError {
  const code = (error as { code?: unknown } | null)?.code;
  const reason = (typeof code === 'string' ? REASONS[code] : undefined) ?? oneLine(error);
  return new InputError(`cannot read ${path}: ${reason}`, { cause: error });
}
