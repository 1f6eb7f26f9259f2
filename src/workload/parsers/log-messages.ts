/**
 * Statements out of server log entries. Pure: entries in, RawStatements out.
 *
 * Which lines count, so that every execution counts once:
 * - `duration: X ms  statement: SQL` and `duration: X ms  execute <name>: SQL`
 *   (log_min_duration_statement): one call taking X ms. An execute's values come from
 *   its `DETAIL:  parameters: $1 = '…', $2 = NULL`. `execute fetch from …` resumes an
 *   open portal: its time counts, not another call. A SQL-level `statement: EXECUTE
 *   name(args)` with its `DETAIL:  prepare: PREPARE name AS …` counts as the prepared
 *   statement, the literal arguments as its values (prepared.ts).
 * - `duration: X ms  parse …` / `bind …`: ignored (the execute line of the same
 *   statement follows; counting them too would count it three times).
 * - `statement: SQL` / `execute <name>: SQL` without a duration (log_statement): one
 *   call. PostgreSQL never logs a statement's text twice: once log_statement printed it,
 *   its duration comes as a bare `duration: X ms` line from the same process, which we
 *   add to that call. So these lines and the duration lines above never describe the
 *   same execution, and a log with both (e.g. log_statement = 'mod' with
 *   log_min_duration_statement = 0) counts each of its statements once.
 * - auto_explain plans (`duration: X ms  plan:` then `Query Text: SQL` and the plan in
 *   text format, or the JSON, YAML or XML document with the query text): one call taking X ms, but only in
 *   a log with no statement lines of the kinds above, whose timing is used instead.
 *   Decided while streaming: plans are held back until the first statement line shows
 *   the log has them (the held plans are dropped), or the log ends or PLANS_HELD_BACK
 *   plans wait (the plans are used). A log whose first statement line comes after that
 *   many plans counts the plans before it.
 * ERROR, FATAL and PANIC entries are not statements and are skipped.
 */
import type { RawStatement } from '../../model/workload.js';
import type { LogEntry } from './log-entry.js';
import { parseLoggedParameters, planStatement } from './message-parts.js';
import { preparedExecution } from './prepared.js';

const PLANS_HELD_BACK = 10_000;
/** Logged statements waiting for a bare duration line, one per process at most. */
const PENDING_LIMIT = 10_000;
const NOT_STATEMENTS = new Set(['ERROR', 'FATAL', 'PANIC']);
const DURATION = /^duration: (\d+(?:\.\d+)?) ms(?: {2}|$)/;
const EXECUTE = /^execute (fetch from )?[^:\n]*: /;
const NONE: readonly RawStatement[] = [];

interface Execution {
  readonly sql: string;
  /** 0 for `execute fetch from`: more rows of an execution already counted. */
  readonly calls: 0 | 1;
  readonly params?: readonly (string | null)[];
}

export type LogMessage =
  | { readonly kind: 'timed'; readonly durationMs: number; readonly execution: Execution }
  | { readonly kind: 'logged'; readonly execution: Execution }
  | { readonly kind: 'bare-duration'; readonly durationMs: number }
  | { readonly kind: 'plan'; readonly durationMs: number; readonly body: string }
  | { readonly kind: 'other' };

/** What one entry's message says, by PostgreSQL's wording. */
export function classifyMessage(entry: Pick<LogEntry, 'message' | 'detail'>): LogMessage {
  const duration = DURATION.exec(entry.message);
  const rest = duration === null ? entry.message : entry.message.slice(duration[0].length);
  const durationMs = duration === null ? undefined : Number(duration[1]);
  if (durationMs !== undefined && rest === '') return { kind: 'bare-duration', durationMs };
  if (durationMs !== undefined && rest.startsWith('plan:')) return { kind: 'plan', durationMs, body: rest.slice(5) };
  const execution = executionIn(rest, entry.detail);
  if (execution === null) return { kind: 'other' };
  return durationMs === undefined ? { kind: 'logged', execution } : { kind: 'timed', durationMs, execution };
}

function executionIn(text: string, detail: string | undefined): Execution | null {
  if (text.startsWith('statement: ')) {
    const sql = text.slice(11);
    const prepared = preparedExecution(sql, detail);
    return prepared === null ? { sql, calls: 1 } : { ...prepared, calls: 1 };
  }
  const execute = EXECUTE.exec(text);
  if (execute === null) return null;
  const params = detail?.startsWith('parameters: ') ? parseLoggedParameters(detail.slice(12)) : undefined;
  return {
    sql: text.slice(execute[0].length),
    calls: execute[1] === undefined ? 1 : 0,
    ...(params === undefined ? {} : { params }),
  };
}

/** Reads the statements of one log, entry by entry, under the rule in the header. */
export class LogStatementReader {
  private readonly pending = new Map<string, Execution>();
  private plans: 'undecided' | 'used' | 'ignored' = 'undecided';
  private heldPlans: RawStatement[] = [];

  constructor(private readonly source: string) {}

  read(entry: LogEntry): readonly RawStatement[] {
    if (NOT_STATEMENTS.has(entry.severity)) return NONE;
    const message = classifyMessage(entry);
    switch (message.kind) {
      case 'timed':
        this.ignorePlans();
        return this.withPending(entry.process, this.statement(message.execution, message.durationMs));
      case 'logged':
        this.ignorePlans();
        return this.logged(entry.process, message.execution);
      case 'bare-duration':
        return this.timePending(entry.process, message.durationMs);
      case 'plan':
        return this.plan(message.body, message.durationMs);
      default:
        return NONE;
    }
  }

  /** What is still held at the end of the log. */
  finish(): readonly RawStatement[] {
    const out = [...this.pending.values()].map((execution) => this.statement(execution));
    this.pending.clear();
    if (this.plans === 'undecided') out.push(...this.heldPlans);
    this.heldPlans = [];
    return out;
  }

  private logged(process: string, execution: Execution): readonly RawStatement[] {
    const out = this.takePending(process);
    if (this.pending.size >= PENDING_LIMIT) {
      const [oldestProcess, oldest] = this.pending.entries().next().value as [string, Execution];
      this.pending.delete(oldestProcess);
      out.push(this.statement(oldest));
    }
    this.pending.set(process, execution);
    return out;
  }

  private timePending(process: string, durationMs: number): readonly RawStatement[] {
    const execution = this.pending.get(process);
    if (execution === undefined) return NONE;
    this.pending.delete(process);
    return [this.statement(execution, durationMs)];
  }

  private withPending(process: string, statement: RawStatement): readonly RawStatement[] {
    const out = this.takePending(process);
    out.push(statement);
    return out;
  }

  private takePending(process: string): RawStatement[] {
    const execution = this.pending.get(process);
    if (execution === undefined) return [];
    this.pending.delete(process);
    return [this.statement(execution)];
  }

  private plan(body: string, durationMs: number): readonly RawStatement[] {
    if (this.plans === 'ignored') return NONE;
    const planned = planStatement(body);
    if (planned === null) return NONE;
    const statement = this.statement({ ...planned, calls: 1 }, durationMs);
    if (this.plans === 'used') return [statement];
    this.heldPlans.push(statement);
    if (this.heldPlans.length < PLANS_HELD_BACK) return NONE;
    this.plans = 'used';
    return this.heldPlans.splice(0);
  }

  private ignorePlans(): void {
    if (this.plans === 'ignored') return;
    this.plans = 'ignored';
    this.heldPlans = [];
  }

  private statement(execution: Execution, durationMs?: number): RawStatement {
    return {
      sql: execution.sql,
      source: this.source,
      ...(execution.calls === 1 ? {} : { calls: 0 }),
      ...(durationMs === undefined ? {} : { totalTimeMs: durationMs }),
      ...(execution.params === undefined ? {} : { params: execution.params }),
    };
  }
}
