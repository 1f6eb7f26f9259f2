/**
 * One database the dashboard shows: its engine (read-only unless apply may write), its
 * workload sources, its monitor store and the last advice. Every page reads through the
 * same library functions the CLI calls. The server holds one, or (a fleet) one per member opened.
 */
import { loadParser } from '../analysis/parse.js';
import { connect } from '../engines/connect.js';
import { parseConnectionString } from '../engines/connection-string.js';
import type { Engine, EngineInfo } from '../engines/engine.js';
import { InputError } from '../errors.js';
import type { Severity } from '../model/finding.js';
import type { AdviceReport } from '../model/recommendation.js';
import type { Workload } from '../model/workload.js';
import type { SnapshotStore } from '../monitor/store.js';
import { type CollectOptions, type SourceSpec, collectFrom, describeSource } from '../workload/collect.js';
import { Jobs } from './jobs.js';

export interface DatabaseOptions {
  /** The connection string; kept here only, never rendered or logged (info.target is the password-free form). */
  readonly url: string;
  readonly sources: readonly SourceSpec[];
  readonly collect?: CollectOptions;
  /** Apply may write: an embedded database (one connection in this process) is then opened writable. */
  readonly allowApply: boolean;
}

/** What the Overview page last measured: the fleet's home page shows it without asking the database again. */
export interface DatabaseSummary {
  readonly tableBytes: number;
  readonly findings: Readonly<Record<Severity, number>>;
}

export class ServedDatabase {
  advice: AdviceReport | null = null;
  summary: DatabaseSummary | null = null;
  /** Its advise, apply and trial jobs. */
  readonly jobs = new Jobs();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly engine: Engine,
    readonly info: EngineInfo,
    private readonly options: DatabaseOptions,
    readonly store: SnapshotStore | null,
  ) {}

  static async open(options: DatabaseOptions, openStore: (engine: Engine) => Promise<SnapshotStore | null>): Promise<ServedDatabase> {
    const { kind } = parseConnectionString(options.url);
    // PGlite and SQLite have one connection, in this process: writable when apply may write; a server gets its own for apply
    const writable = options.allowApply && kind !== 'postgres';
    const engine = await connect(options.url, writable ? { writable: true } : { readOnly: true });
    try {
      await loadParser();
      return new ServedDatabase(engine, await engine.info(), options, await openStore(engine));
    } catch (error) {
      await engine.close();
      throw error;
    }
  }

  get target(): string {
    return this.info.target;
  }

  get sourceNames(): string[] {
    return this.options.sources.map(describeSource);
  }

  /**
   * Runs `fn` alone on this database's engine: a job (advise, apply) and page reads take
   * turns where the engine has one connection (a what-if transaction must not see other reads).
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return this.counted(run);
  }

  /** Reads on a server run beside a job (their own pooled connections); on an embedded engine after it. */
  read<T>(fn: () => Promise<T>): Promise<T> {
    return this.info.capabilities.secondConnection ? this.counted(fn()) : this.exclusive(fn);
  }

  /** No read or job is running or waiting on this database (a fleet may close it then). */
  get idle(): boolean {
    return this.inFlight === 0;
  }

  private inFlight = 0;

  private async counted<T>(run: Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await run;
    } finally {
      this.inFlight--;
    }
  }

  async workload(): Promise<Workload> {
    return (await collectFrom(this.engine, [...this.options.sources], this.options.collect ?? {})).workload;
  }

  /** The workload, or why there is none (no pg_stat_statements and no --from): a page says so instead of failing. */
  async workloadOrProblem(): Promise<{ workload: Workload; problem: null } | { workload: null; problem: string }> {
    try {
      return { workload: await this.workload(), problem: null };
    } catch (error) {
      if (error instanceof InputError) return { workload: null, problem: error.message };
      throw error;
    }
  }

  /** A writable connection for apply (a server), closed by the caller; the engine itself on an embedded database. */
  async writer(): Promise<{ engine: Engine; reconnect?: () => Promise<Engine>; close: () => Promise<void> }> {
    if (!this.info.capabilities.secondConnection) return { engine: this.engine, close: async () => {} };
    const engine = await connect(this.options.url);
    return { engine, reconnect: () => connect(this.options.url), close: () => engine.close() };
  }

  async close(): Promise<void> {
    await this.queue.catch(() => {});
    await this.store?.close();
    await this.engine.close();
  }
}
