/**
 * stderr-format server logs (log_destination = stderr), with any log_line_prefix.
 *
 * A line is `<prefix>SEVERITY:  text`: the first `SEVERITY:  ` marker (two spaces
 * after the colon) ends the prefix. The server writes a TAB after every newline inside
 * a message, so a line that starts with TAB continues the line before it (the TAB is
 * dropped, the newline kept). DETAIL / HINT / CONTEXT / STATEMENT lines belong to the
 * latest entry of the same process. The prefix names the process by `[%p]` or by the
 * session id `%c`, and may name the user and database by `%u@%d` or `user=%u,db=%d`.
 * Under log_error_verbosity = verbose, a `00000: ` SQLSTATE before the message is dropped.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { LogEntry, MutableLogEntry } from './log-entry.js';

const MARKER = /(?<![A-Za-z0-9_])(LOG|ERROR|WARNING|NOTICE|INFO|DEBUG[1-5]?|FATAL|PANIC|DETAIL|HINT|CONTEXT|STATEMENT|QUERY|LOCATION): {2}/;
const ATTACHED_FIELDS: Readonly<Record<string, AttachedField>> = {
  DETAIL: 'detail',
  HINT: 'hint',
  CONTEXT: 'context',
  STATEMENT: 'statement',
};
const UNUSED_ATTACHMENTS = new Set(['QUERY', 'LOCATION']);
const SQLSTATE_BEFORE_MESSAGE = /^[0-9A-Z]{5}: /;
/** Entries waiting for their DETAIL lines; with the logging collector those come right after. */
const OPEN_ENTRIES = 16;
const TAB = 9;

type AttachedField = 'detail' | 'hint' | 'context' | 'statement';
type TextField = 'message' | AttachedField;

export interface PrefixInfo {
  readonly process: string;
  readonly user?: string;
  readonly database?: string;
}

/** What a log_line_prefix tells about the process, user and database of a line. */
export function readPrefix(prefix: string): PrefixInfo {
  const process = /\[(\d+)\]/.exec(prefix)?.[1] ?? /\b([0-9a-f]{6,8}\.[0-9a-f]{1,8})\b/.exec(prefix)?.[1] ?? '';
  const database = /\bdb=([^,\s\]]*)/.exec(prefix)?.[1];
  if (database !== undefined) {
    const user = /\buser=([^,\s\]]*)/.exec(prefix)?.[1];
    return withNames(process, user, database);
  }
  const pair = /([^\s[(]*)@([^\s@\]):,]*)[\]):,]*\s*$/.exec(prefix);
  return pair === null ? { process } : withNames(process, pair[1], pair[2]);
}

function withNames(process: string, user: string | undefined, database: string | undefined): PrefixInfo {
  return {
    process,
    ...(user ? { user } : {}),
    ...(database ? { database } : {}),
  };
}

/** Turns lines into entries; finished entries collect in `ready`. */
export class StderrLogAssembler {
  readonly ready: LogEntry[] = [];
  private readonly open = new Map<string, MutableLogEntry>();
  /** Where a TAB continuation line goes: the field the previous line wrote. */
  private target: { entry: MutableLogEntry; field: TextField } | null = null;

  line(line: string): void {
    if (line.charCodeAt(0) === TAB) {
      if (this.target !== null) this.target.entry[this.target.field] += `\n${line.slice(1)}`;
      return;
    }
    const marker = MARKER.exec(line);
    if (marker === null) {
      this.target = null;
      return;
    }
    const severity = marker[1] as string;
    let text = line.slice(marker.index + marker[0].length);
    if (SQLSTATE_BEFORE_MESSAGE.test(text)) text = text.slice(7);
    const prefix = readPrefix(line.slice(0, marker.index));
    const attached = ATTACHED_FIELDS[severity];
    if (attached !== undefined) this.attach(prefix.process, attached, text);
    else if (UNUSED_ATTACHMENTS.has(severity)) this.target = null;
    else this.begin({ severity, message: text, ...prefix });
  }

  /** Releases the entries still open (at the end of the input). */
  end(): void {
    for (const entry of this.open.values()) this.ready.push(entry);
    this.open.clear();
    this.target = null;
  }

  private begin(entry: MutableLogEntry): void {
    const previous = this.open.get(entry.process);
    if (previous !== undefined) {
      this.open.delete(entry.process);
      this.ready.push(previous);
    } else if (this.open.size >= OPEN_ENTRIES) {
      const [oldestProcess, oldest] = this.open.entries().next().value as [string, MutableLogEntry];
      this.open.delete(oldestProcess);
      this.ready.push(oldest);
    }
    this.open.set(entry.process, entry);
    this.target = { entry, field: 'message' };
  }

  private attach(process: string, field: AttachedField, text: string): void {
    const entry = this.open.get(process);
    if (entry === undefined) {
      this.target = null;
      return;
    }
    const existing = entry[field];
    entry[field] = existing === undefined ? text : `${existing}\n${text}`;
    this.target = { entry, field };
  }
}

/** Streams a stderr-format log (text) as entries. */
export async function* parseStderrLog(input: Readable): AsyncGenerator<LogEntry> {
  const assembler = new StderrLogAssembler();
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    assembler.line(line);
    if (assembler.ready.length > 0) yield* assembler.ready.splice(0);
  }
  assembler.end();
  yield* assembler.ready.splice(0);
}
