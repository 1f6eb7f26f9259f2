/**
 * Server logs as JSON records, one reader for every shape hosted services hand out:
 * - jsonlog (log_destination = jsonlog, PostgreSQL 15+): `timestamp`, `user`, `dbname`,
 *   `pid`, `session_id`, `error_severity`, `message`, `detail`, … at the top level;
 * - CloudNativePG: `{"level", "ts", "logger": "postgres", "msg": "record", "record": {…}}`,
 *   the record with csvlog's column names (`user_name`, `database_name`, `process_id`,
 *   `query`, …); records of its other loggers are not PostgreSQL's and are skipped;
 * - Google Cloud Logging entries (Cloud SQL, GKE): the server's stderr line in
 *   `textPayload`, or a structured record (jsonlog, CloudNativePG) in `jsonPayload`;
 * - Azure Database for PostgreSQL: diagnostic logs archived or streamed as JSON (the
 *   record in `properties`: `prefix`, `message`, `errorLevel`, `detail`, …) and Log
 *   Analytics exports (`Message`, `ErrorLevel`, `Detail`… of PGSQLServerLogs, or
 *   AzureDiagnostics' `record_message_s`, `record_error_severity_s`, …);
 * - AWS CloudWatch Logs as `aws logs filter-log-events` prints them: `{"events": […]}`,
 *   each event's `message` a stderr line of RDS;
 * - container logs (`{"log": "…"}`, Docker's json-file driver).
 * Field names are compared without case, without `record_` before and `_s`/`_d` after
 * them, and without underscores. A message that is a whole stderr line (textPayload,
 * CloudWatch, container logs) goes through the stderr reader, so TAB continuation lines
 * and DETAIL lines join their entry as in a plain stderr log, also in an export that lists
 * the newest record first (text-records.ts).
 */
import type { Readable } from 'node:stream';
import { jsonObjects } from './json-objects.js';
import { type LogEntry, type LogTally, type MutableLogEntry, presentText } from './log-entry.js';
import { type LineHeadReader, readPrefix } from './log-prefix.js';
import { TextRecordReader } from './text-records.js';

type Reading =
  | { readonly kind: 'entry'; readonly entry: LogEntry }
  | { readonly kind: 'text'; readonly text: string; readonly time?: number }
  | { readonly kind: 'skip'; readonly reason: string };

type OptionalField = 'timestamp' | 'user' | 'database' | 'application' | 'detail' | 'hint' | 'context' | 'statement';

/** Each field and the normalized keys that hold it, best first. */
const FIELD_KEYS: readonly (readonly [OptionalField, readonly string[]])[] = [
  ['timestamp', ['timestamp', 'logtime']],
  ['user', ['user', 'username']],
  ['database', ['dbname', 'databasename']],
  ['application', ['applicationname']],
  ['detail', ['detail', 'detaillog']],
  ['hint', ['hint']],
  ['context', ['context']],
  ['statement', ['statement', 'query']],
];
const SEVERITY_KEYS = ['errorseverity', 'errorlevel'];
const PROCESS_KEYS = ['sessionid', 'pid', 'processid'];
/** Keys whose text is a whole log line in stderr format. */
const LINE_KEYS = ['textPayload', 'message', 'Message', 'log'];
const NO_MESSAGE = 'a JSON record without a PostgreSQL message';

/** Streams a JSON log (text) as entries, counting its records in `tally`. */
export async function* parseJsonLog(input: Readable, tally: LogTally, readHead?: LineHeadReader): AsyncGenerator<LogEntry> {
  const texts = new TextRecordReader(readHead);
  for await (const item of jsonObjects(input)) {
    if ('invalid' in item) {
      tally.lines++;
      tally.skip('not JSON');
      continue;
    }
    for (const reading of readRecord(item.object)) {
      tally.lines++;
      if (reading.kind === 'skip') tally.skip(reading.reason);
      else if (reading.kind === 'entry') {
        tally.logLines++;
        yield reading.entry;
      } else {
        if (texts.record(reading.text, reading.time)) tally.logLines++;
        else tally.skip('a JSON record whose text is not a PostgreSQL log line');
        if (texts.ready.length > 0) yield* texts.ready.splice(0);
      }
    }
  }
  texts.end();
  yield* texts.ready.splice(0);
}

/** What one JSON record holds: an entry, a stderr line, or nothing of PostgreSQL's (and why). */
export function readRecord(object: Record<string, unknown>): Reading[] {
  for (const key of ['events', 'entries']) {
    const list = object[key];
    if (Array.isArray(list)) return list.flatMap((item) => (isObject(item) ? readRecord(item) : []));
  }
  if (typeof object.logger === 'string' && isObject(object.record)) {
    if (object.logger !== 'postgres') return [{ kind: 'skip', reason: `a CloudNativePG record of its ${object.logger} logger` }];
    return [structured(object.record) ?? { kind: 'skip', reason: NO_MESSAGE }];
  }
  if (isObject(object.jsonPayload)) return readRecord(object.jsonPayload);
  if (isObject(object.properties)) return readRecord(object.properties);
  const entry = structured(object);
  if (entry !== null) return [entry];
  for (const key of LINE_KEYS) {
    const text = object[key];
    if (typeof text === 'string') return [{ kind: 'text', text, time: recordTime(object) }];
  }
  return [{ kind: 'skip', reason: NO_MESSAGE }];
}

/** A record with PostgreSQL's fields (a severity and a message) as an entry; null for another record. */
function structured(object: Record<string, unknown>): Reading | null {
  const fields = new Map<string, unknown>();
  for (const [key, value] of Object.entries(object)) fields.set(normalizeKey(key), value);
  const first = (keys: readonly string[]) => keys.map((key) => presentText(fields.get(key))).find((v) => v !== undefined);
  const severity = first(SEVERITY_KEYS);
  const message = fields.get('message');
  if (severity === undefined || typeof message !== 'string') return null;
  const prefix = first(['prefix']);
  const fromPrefix = prefix === undefined ? undefined : readPrefix(prefix);
  const entry: MutableLogEntry = { severity, message, process: first(PROCESS_KEYS) ?? fromPrefix?.process ?? '' };
  for (const [field, keys] of FIELD_KEYS) {
    const value = first(keys) ?? (field === 'user' || field === 'database' || field === 'application' ? fromPrefix?.[field] : undefined);
    if (value !== undefined) entry[field] = value;
  }
  return { kind: 'entry', entry };
}

/** When a record was written, in ms: Cloud Logging's ISO `timestamp`, CloudWatch's epoch ms, Docker's `time`. */
function recordTime(object: Record<string, unknown>): number | undefined {
  const time = object.timestamp ?? object.time;
  if (typeof time === 'number') return time;
  return typeof time === 'string' ? Date.parse(time) : undefined;
}

/** `record_error_severity_s`, `ErrorLevel`, `error_severity` → `errorseverity`, `errorlevel`, `errorseverity`. */
function normalizeKey(key: string): string {
  return key
    .toLowerCase()
    .replace(/^record_/, '')
    .replace(/_[sd]$/, '')
    .replaceAll('_', '');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
