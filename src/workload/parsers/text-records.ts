/**
 * Stderr-format lines that arrive one record at a time inside JSON: Cloud Logging's
 * `textPayload`, CloudWatch events, container logs. Exports may list the records newest
 * first (`gcloud logging read` does unless given `--order=asc`); then a DETAIL, HINT or
 * STATEMENT record comes before the record of the message it belongs to, so it is held
 * until that message — the next record of its process — has been read. The order is told
 * from the records' times.
 */
import type { LogEntry } from './log-entry.js';
import { type LineHeadReader, readLineHead } from './log-prefix.js';
import { StderrLogAssembler } from './stderr.js';

const ATTACHED = new Set(['DETAIL', 'HINT', 'CONTEXT', 'STATEMENT', 'QUERY', 'LOCATION']);
const MAX_HELD = 10_000;

export class TextRecordReader {
  private readonly assembler: StderrLogAssembler;
  private previousTime: number | undefined;
  private newestFirst = false;
  /** Attached lines waiting for their message, per process, in the order read. */
  private readonly held = new Map<string, string[][]>();

  constructor(private readonly readHead: LineHeadReader = readLineHead) {
    this.assembler = new StderrLogAssembler(readHead);
  }

  get ready(): LogEntry[] {
    return this.assembler.ready;
  }

  /** One record's text, written at `time` (ms) when known; false when no line of it is a log line. */
  record(text: string, time: number | undefined): boolean {
    this.order(time);
    const lines = text.replace(/\r?\n$/, '').split('\n');
    const head = this.newestFirst ? this.readHead(lines[0] as string) : null;
    if (head === null) return this.feed(lines);
    const process = head.prefix.process;
    if (ATTACHED.has(head.severity)) {
      if (this.held.size >= MAX_HELD) this.held.clear();
      this.held.set(process, [...(this.held.get(process) ?? []), lines]);
      return true;
    }
    const read = this.feed(lines);
    const held = this.held.get(process);
    this.held.delete(process);
    for (const attached of (held ?? []).reverse()) this.feed(attached);
    return read;
  }

  /** Attached lines still held belong to messages before the export's first record: dropped. */
  end(): void {
    this.held.clear();
    this.assembler.end();
  }

  private feed(lines: readonly string[]): boolean {
    let read = false;
    for (const line of lines) read = this.assembler.line(line) || read;
    return read;
  }

  private order(time: number | undefined): void {
    if (time === undefined || Number.isNaN(time)) return;
    if (this.previousTime !== undefined && time !== this.previousTime) this.newestFirst = time < this.previousTime;
    this.previousTime = time;
  }
}
