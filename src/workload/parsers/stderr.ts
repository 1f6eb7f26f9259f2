/**
 * stderr-format server logs (log_destination = stderr), with any log_line_prefix.
 *
 * A line is `<prefix>SEVERITY:  text`: the first `SEVERITY:  ` marker (two spaces
 * after the colon) ends the prefix. The server writes a TAB after every newline inside
 * a message, so a line that starts with TAB continues the line before it (the TAB is
 * dropped, the newline kept). DETAIL / HINT / CONTEXT / STATEMENT lines belong to the
 * latest entry of the same process, named by the prefix (log-prefix.ts).
 * Under log_error_verbosity = verbose, a `00000: ` SQLSTATE before the message is dropped.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { LogEntry, LogTally, MutableLogEntry } from './log-entry.js';
import { type LineHead, type LineHeadReader, type PrefixInfo, readLineHead } from './log-prefix.js';

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
export const NOT_A_LOG_LINE = 'no log_line_prefix and severity (LOG:, ERROR:, …) found';

type AttachedField = 'detail' | 'hint' | 'context' | 'statement';
type TextField = 'message' | AttachedField;
interface Target {
  readonly entry: MutableLogEntry;
  readonly field: TextField;
}

/** Turns lines into entries; finished entries collect in `ready`. */
export class StderrLogAssembler {
  readonly ready: LogEntry[] = [];
  private readonly open = new Map<string, MutableLogEntry>();
  /** Where a TAB continuation line goes: the field the previous line wrote. */
  private target: Target | null = null;
  /** The same per process, for syslog, where processes' lines interleave (kept only when `perProcess`). */
  private readonly targets = new Map<string, Target>();

  constructor(
    private readonly readHead: LineHeadReader = readLineHead,
    private readonly perProcess = false,
  ) {}

  /** One line of a stderr log; false when it is neither a log line nor a continuation of one. */
  line(line: string): boolean {
    if (line.charCodeAt(0) === TAB) {
      if (this.target === null) return false;
      this.target.entry[this.target.field] += `\n${line.slice(1)}`;
      return true;
    }
    const head = this.readHead(line);
    if (head === null) {
      this.target = null;
      return false;
    }
    this.head(head, head.prefix);
    return true;
  }

  /** A line whose process the transport named (syslog); false when it is not a log line. */
  processLine(process: string, line: string): boolean {
    const head = this.readHead(line);
    if (head === null) return false;
    this.head(head, { ...head.prefix, process });
    return true;
  }

  /** More text of the field `process` wrote last (syslog's chunks); false when nothing is open. */
  continueProcess(process: string, text: string, newLine: boolean): boolean {
    const target = this.targets.get(process);
    if (target === undefined || this.open.get(process) !== target.entry) return false;
    target.entry[target.field] += newLine ? `\n${text}` : text;
    return true;
  }

  /** Releases the entries still open (at the end of the input). */
  end(): void {
    for (const entry of this.open.values()) this.ready.push(entry);
    this.open.clear();
    this.targets.clear();
    this.target = null;
  }

  private head(head: LineHead, prefix: PrefixInfo): void {
    const text = SQLSTATE_BEFORE_MESSAGE.test(head.text) ? head.text.slice(7) : head.text;
    const attached = ATTACHED_FIELDS[head.severity];
    if (attached !== undefined) this.attach(prefix.process, attached, text);
    else if (UNUSED_ATTACHMENTS.has(head.severity)) this.target = null;
    else this.begin({ severity: head.severity, message: text, ...prefix });
  }

  private begin(entry: MutableLogEntry): void {
    const previous = this.open.get(entry.process);
    if (previous !== undefined) this.release(entry.process, previous);
    else if (this.open.size >= OPEN_ENTRIES) {
      const [oldestProcess, oldest] = this.open.entries().next().value as [string, MutableLogEntry];
      this.release(oldestProcess, oldest);
    }
    this.open.set(entry.process, entry);
    this.setTarget(entry.process, { entry, field: 'message' });
  }

  private release(process: string, entry: MutableLogEntry): void {
    this.open.delete(process);
    if (this.perProcess) this.targets.delete(process);
    this.ready.push(entry);
  }

  private attach(process: string, field: AttachedField, text: string): void {
    const entry = this.open.get(process);
    if (entry === undefined) {
      this.target = null;
      return;
    }
    const existing = entry[field];
    entry[field] = existing === undefined ? text : `${existing}\n${text}`;
    this.setTarget(process, { entry, field });
  }

  private setTarget(process: string, target: Target): void {
    this.target = target;
    if (this.perProcess) this.targets.set(process, target);
  }
}

/** Streams a stderr-format log (text) as entries, counting its lines in `tally`. */
export async function* parseStderrLog(input: Readable, tally: LogTally, readHead?: LineHeadReader): AsyncGenerator<LogEntry> {
  const assembler = new StderrLogAssembler(readHead);
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    tally.lines++;
    if (assembler.line(line)) tally.logLines++;
    else if (line.trim() === '') tally.lines--;
    else tally.skip(NOT_A_LOG_LINE);
    if (assembler.ready.length > 0) yield* assembler.ready.splice(0);
  }
  assembler.end();
  yield* assembler.ready.splice(0);
}
