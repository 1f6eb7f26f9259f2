/**
 * `--from log:FILE`: a PostgreSQL server log in stderr, csvlog or jsonlog format, plain
 * or gzipped, read as a stream (constant memory on a multi-GB log). The format comes
 * from the name (`.csv`, `.json`, after dropping `.gz`), else from the first line, else
 * stderr. `--log-database NAME` keeps one database's entries, before they are read as
 * statements. Which lines count, and how each execution counts once:
 * parsers/log-messages.ts.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { type Readable, Transform } from 'node:stream';
import { constants, createGunzip, gunzipSync } from 'node:zlib';
import { IndexwiseError, InputError, oneLine } from '../../errors.js';
import { formatBytes } from '../../format.js';
import type { RawStatement } from '../../model/workload.js';
import { parseCsvLog } from '../parsers/csvlog.js';
import { parseJsonLog } from '../parsers/jsonlog.js';
import type { LogEntry } from '../parsers/log-entry.js';
import { LogStatementReader } from '../parsers/log-messages.js';
import { parseStderrLog } from '../parsers/stderr.js';
import { loadParser } from '../../analysis/parse.js';

export const LOG_FORMATS = ['stderr', 'csvlog', 'jsonlog'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LogReadOptions {
  /** Default: detected by detectLogFormat. */
  readonly format?: LogFormat;
  /** Only this database's statements; the log must record database names (csvlog, jsonlog, %d in the prefix). */
  readonly database?: string;
  /** Called as the file is read; bytes of the file as stored (compressed, for a .gz). */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** The longest line read, in bytes (default MAX_LINE_BYTES); a longer one stops the read with an InputError. */
  readonly maxLineBytes?: number;
}

/**
 * A line is one string to the parsers, and V8 cannot make a string of more than 2^29 − 24
 * characters: a longer line (a runaway bulk INSERT, a file that is not a log) would crash
 * the read with "Invalid string length". Half of that is the most a line may hold.
 */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;

const PARSERS: Readonly<Record<LogFormat, (input: Readable) => AsyncGenerator<LogEntry>>> = {
  stderr: parseStderrLog,
  csvlog: parseCsvLog,
  jsonlog: parseJsonLog,
};
const HEAD_BYTES = 64 * 1024;
const READ_CHUNK_BYTES = 1024 * 1024;
const CSV_LOG_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [^,]*)?,(?:"(?:[^"]|"")*")?,(?:"(?:[^"]|"")*")?,\d+,/;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The log's format, from its name, else from its first bytes (gzipped or not); stderr when unsure. */
export function detectLogFormat(path: string, firstBytes: Uint8Array): LogFormat {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv')) return 'csvlog';
  if (name.endsWith('.json')) return 'jsonlog';
  const firstLine =
    headText(firstBytes)
      .split('\n')
      .find((line) => line.trim() !== '') ?? '';
  if (firstLine.startsWith('{"timestamp":')) return 'jsonlog';
  if (CSV_LOG_LINE.test(firstLine)) return 'csvlog';
  return 'stderr';
}

function headText(firstBytes: Uint8Array): string {
  if (!isGzip(firstBytes)) return Buffer.from(firstBytes).toString('utf8');
  try {
    return gunzipSync(firstBytes, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
  } catch {
    return '';
  }
}

/** The statements of a server log, streamed. Throws InputError for a file it cannot read. */
export async function* readLogStatements(path: string, options: LogReadOptions = {}): AsyncGenerator<RawStatement> {
  // SQL-level EXECUTEs are matched to their PREPARE with the real scanner
  await loadParser();
  const { size, head } = await openLog(path);
  if (size === 0) return;
  const format = options.format ?? detectLogFormat(path, head);
  const reader = new LogStatementReader(`log:${path}`);
  const log = openLogStream(path, path.toLowerCase().endsWith('.gz') || isGzip(head), size, options);
  let databaseNamed = false;
  try {
    for await (const entry of PARSERS[format](log.text)) {
      if (options.database !== undefined) {
        databaseNamed ||= entry.database !== undefined;
        if (entry.database !== options.database) continue;
      }
      const statements = reader.read(entry);
      if (statements.length > 0) yield* statements;
    }
  } catch (error) {
    throw hasErrorCode(error) ? readError(path, error) : error;
  } finally {
    log.close();
  }
  yield* reader.finish();
  if (options.database !== undefined && !databaseNamed) {
    throw new InputError(`${path} does not record database names: --log-database needs csvlog, jsonlog or %d in log_line_prefix`);
  }
}

/**
 * The file's text: its bytes counted for progress, gunzipped when needed; a read error
 * reaches `text`. `close()` stops quietly (a reader may stop early). A gzip file cut
 * short inside its data (still being written) reads as far as it goes: node's gunzip
 * stream ends there without an error.
 */
function openLogStream(path: string, gzip: boolean, size: number, options: LogReadOptions): { text: Readable; close(): void } {
  const file = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  let bytesRead = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytesRead += chunk.length;
      options.onProgress?.(bytesRead, size);
      done(null, chunk);
    },
  });
  const gunzip = gzip ? createGunzip() : undefined;
  const text = lineCap(path, options.maxLineBytes ?? MAX_LINE_BYTES);
  file.on('error', (error) => text.destroy(error));
  gunzip?.on('error', (error) => text.destroy(error));
  file.pipe(counter);
  (gunzip === undefined ? counter : counter.pipe(gunzip)).pipe(text);
  return {
    text,
    close() {
      for (const stream of [file, counter, gunzip, text]) stream?.destroy();
    },
  };
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
