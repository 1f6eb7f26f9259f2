/**
 * Server logs that went through syslog (log_destination = syslog, as rsyslog or
 * journald write them to a file) and Heroku's logplex (`heroku logs -p postgres`).
 *
 * Each line is `<time> [<host>] <ident>[<pid>]: [<seq>-<chunk>] <log_line_prefix>SEVERITY:  text`
 * (logplex: `<time> app[postgres.<pid>]: [<ATTACHMENT>] [<seq>-<chunk>] …`). PostgreSQL
 * (elog.c, write_syslog) sends one message as several syslog lines, numbered by chunk:
 * at every newline, and inside a line longer than 900 bytes at a word boundary. So a chunk
 * after the first is either a new line of the message — its TAB (which rsyslog may write
 * as `#011`, or drop) starts a continuation of the text, a prefix and `DETAIL:  ` starts an
 * attached field — or the rest of a long line, which starts with the space it was cut at
 * and follows a chunk of nearly 900 bytes. Without its TAB (Heroku, or a daemon that drops
 * control characters) a new line is told from the rest of a long line by that length.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { LogEntry, LogTally } from './log-entry.js';
import type { LineHeadReader } from './log-prefix.js';
import { StderrLogAssembler } from './stderr.js';

const TIME = String.raw`(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\dT\S+)`;
/**
 * time, optional host, ident[pid] or app[postgres.pid], optional [ATTACHMENT], then [seq-chunk],
 * or [seq] (syslog_sequence_numbers, the default), or nothing for a one-line message without them.
 */
export const SYSLOG_LINE = new RegExp(
  String.raw`^${TIME} (?:\S+ )?[^\s\[]+\[(?:[\w-]+\.)?(\d+)\]: (?:\[[A-Z][A-Z0-9_]*\] )?(?:\[\d+(?:-(\d+))?\] ?)?`,
);
const TAB_ESCAPED = '#011';
/** elog.c's PG_SYSLOG_LIMIT: longer lines are cut at a word boundary before it. */
const SYSLOG_LIMIT = 900;
/** A chunk cut short of the limit by less than this (the word that did not fit) was cut inside a line. */
const LONGEST_WORD = 120;
const MAX_PROCESSES = 10_000;
export const NOT_A_SYSLOG_LINE = 'not a syslog line of PostgreSQL (time, ident[pid]: [seq-chunk])';

/** Streams a syslog or logplex log (text) as entries, counting its lines in `tally`. */
export async function* parseSyslogLog(input: Readable, tally: LogTally, readHead?: LineHeadReader): AsyncGenerator<LogEntry> {
  const assembler = new StderrLogAssembler(readHead, true);
  const chunkLengths = new Map<string, number>();
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() === '') continue;
    tally.lines++;
    if (chunkLengths.size > MAX_PROCESSES) chunkLengths.clear();
    const reason = syslogLine(assembler, line, chunkLengths);
    if (reason === null) tally.logLines++;
    else tally.skip(reason);
    if (assembler.ready.length > 0) yield* assembler.ready.splice(0);
  }
  assembler.end();
  yield* assembler.ready.splice(0);
}

/** Feeds one syslog line to the assembler; null when it was a log line, else why not. */
function syslogLine(assembler: StderrLogAssembler, line: string, chunkLengths: Map<string, number>): string | null {
  const header = SYSLOG_LINE.exec(line);
  if (header === null) return NOT_A_SYSLOG_LINE;
  const process = header[1] as string;
  const chunk = header[2] === undefined ? 1 : Number(header[2]);
  const text = line.slice(header[0].length);
  const previousLength = chunkLengths.get(process) ?? 0;
  chunkLengths.set(process, Buffer.byteLength(text));
  if (chunk === 1) return assembler.processLine(process, text) ? null : 'a syslog line of no PostgreSQL message';
  if (text.charCodeAt(0) === 9) return continued(assembler, process, text.slice(1), true);
  if (text.startsWith(TAB_ESCAPED)) return continued(assembler, process, text.slice(TAB_ESCAPED.length), true);
  if (/^\s/.test(text) && previousLength > SYSLOG_LIMIT - LONGEST_WORD) return continued(assembler, process, text, false);
  // a DETAIL, HINT… of the same message, or a continuation whose TAB the syslog daemon dropped
  if (assembler.processLine(process, text)) return null;
  return continued(assembler, process, text, true);
}

function continued(assembler: StderrLogAssembler, process: string, text: string, newLine: boolean): string | null {
  return assembler.continueProcess(process, text, newLine) ? null : 'a continuation chunk whose first line is not in the log';
}
