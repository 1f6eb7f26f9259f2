/**
 * csvlog-format server logs (log_destination = csvlog). Fields may hold newlines, so
 * the CSV is read by csv-parse, streamed. Columns are PostgreSQL's documented csvlog
 * order; older servers write fewer columns and newer ones append more, both are fine.
 * A record the CSV reader cannot read (e.g. the half-written last line of a live log)
 * is skipped.
 */
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { type LogEntry, type LogTally, type MutableLogEntry, presentText } from './log-entry.js';

/** Positions in a csvlog record, as documented since PostgreSQL 9.0 (13 added backend_type, 14 leader_pid and query_id). */
const COLUMN = {
  logTime: 0,
  userName: 1,
  databaseName: 2,
  processId: 3,
  sessionId: 5,
  errorSeverity: 11,
  message: 13,
  detail: 14,
  hint: 15,
  context: 18,
  query: 19,
  applicationName: 22,
} as const;

const OPTIONAL_COLUMNS: readonly (readonly [OptionalField, number])[] = [
  ['timestamp', COLUMN.logTime],
  ['user', COLUMN.userName],
  ['database', COLUMN.databaseName],
  ['detail', COLUMN.detail],
  ['hint', COLUMN.hint],
  ['context', COLUMN.context],
  ['statement', COLUMN.query],
  ['application', COLUMN.applicationName],
];
const SEVERITIES = new Set([
  'LOG',
  'ERROR',
  'WARNING',
  'NOTICE',
  'INFO',
  'DEBUG',
  'DEBUG1',
  'DEBUG2',
  'DEBUG3',
  'DEBUG4',
  'DEBUG5',
  'FATAL',
  'PANIC',
]);

type OptionalField = 'timestamp' | 'user' | 'database' | 'detail' | 'hint' | 'context' | 'statement' | 'application';

/** Streams a csvlog-format log (text or bytes) as entries, counting its records in `tally`. */
export async function* parseCsvLog(input: Readable, tally: LogTally): AsyncGenerator<LogEntry> {
  const onSkip = () => {
    tally.lines++;
    tally.skip('not valid CSV');
    return undefined;
  };
  const records = input.pipe(parse({ relax_column_count: true, skip_records_with_error: true, skip_empty_lines: true, on_skip: onSkip }));
  input.once('error', (error) => records.destroy(error));
  for await (const record of records as AsyncIterable<string[]>) {
    // a header row some exports add
    if (record[0] === 'log_time') continue;
    tally.lines++;
    const entry = csvRecordEntry(record);
    if (entry === null) {
      tally.skip('not a csvlog record (a severity in column 12, the message in column 14)');
      continue;
    }
    tally.logLines++;
    yield entry;
  }
}

/** One csvlog record as an entry; null for a record too short to hold a message, or without a severity. */
export function csvRecordEntry(record: readonly string[]): LogEntry | null {
  if (record.length <= COLUMN.message || !SEVERITIES.has(record[COLUMN.errorSeverity] as string)) return null;
  const field = (column: number) => presentText(record[column]);
  const entry: MutableLogEntry = {
    severity: record[COLUMN.errorSeverity] ?? '',
    message: record[COLUMN.message] ?? '',
    process: field(COLUMN.sessionId) ?? field(COLUMN.processId) ?? '',
  };
  for (const [key, column] of OPTIONAL_COLUMNS) {
    const value = field(column);
    if (value !== undefined) entry[key] = value;
  }
  return entry;
}
