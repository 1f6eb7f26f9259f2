/**
 * jsonlog-format server logs (log_destination = jsonlog, PostgreSQL 15+): one JSON
 * object per line, keys as documented (timestamp, user, dbname, pid, session_id,
 * error_severity, message, detail, hint, context, statement, …); absent keys are
 * absent. A line that is not a JSON object (e.g. the half-written end of a live log)
 * is skipped.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { type LogEntry, type MutableLogEntry, presentText } from './log-entry.js';

type OptionalField = 'timestamp' | 'user' | 'database' | 'detail' | 'hint' | 'context' | 'statement';

const OPTIONAL_KEYS: readonly (readonly [OptionalField, string])[] = [
  ['timestamp', 'timestamp'],
  ['user', 'user'],
  ['database', 'dbname'],
  ['detail', 'detail'],
  ['hint', 'hint'],
  ['context', 'context'],
  ['statement', 'statement'],
];

/** Streams a jsonlog-format log (text) as entries. */
export async function* parseJsonLog(input: Readable): AsyncGenerator<LogEntry> {
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    const entry = jsonLineEntry(line);
    if (entry !== null) yield entry;
  }
}

/** One jsonlog line as an entry; null for a line that is not a log object. */
export function jsonLineEntry(line: string): LogEntry | null {
  if (!line.startsWith('{')) return null;
  let object: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null) return null;
    object = parsed as Record<string, unknown>;
  } catch {
    return null;
  }
  const message = object.message;
  if (typeof message !== 'string') return null;
  const entry: MutableLogEntry = {
    severity: presentText(object.error_severity) ?? '',
    message,
    process: presentText(object.session_id) ?? presentText(object.pid) ?? '',
  };
  for (const [field, key] of OPTIONAL_KEYS) {
    const value = presentText(object[key]);
    if (value !== undefined) entry[field] = value;
  }
  return entry;
}
