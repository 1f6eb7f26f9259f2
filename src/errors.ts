/**
 * Typed errors. Every error a user can cause carries a stable `code` and the exit
 * code the CLI should use; the CLI is the only place that turns them into exits.
 */

export const EXIT = {
  ok: 0,
  /** Findings or recommendations over a `--fail-on` threshold. */
  findings: 1,
  /** Bad input, unknown or unreachable database. */
  usage: 2,
  /** A bug in indexwise. */
  internal: 70,
  /** `apply` interrupted with Ctrl-C (128 + SIGINT), after cleaning up. */
  interrupted: 130,
} as const;

export class IndexwiseError extends Error {
  readonly code: string;
  readonly exitCode: number;

  constructor(code: string, message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT.usage;
  }
}

/** The user gave something we cannot use: a bad flag value, a file that does not exist. */
export class InputError extends IndexwiseError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('INPUT', message, options);
  }
}

/** The database could not be reached, or refused us. */
export class ConnectionError extends IndexwiseError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CONNECTION', message, options);
  }
}

/** A statement failed on the database. `sqlState` is the server's SQLSTATE when there is one. */
export class DatabaseError extends IndexwiseError {
  readonly sqlState: string | undefined;

  constructor(message: string, options: { cause?: unknown; sqlState?: string } = {}) {
    super('DATABASE', message, options);
    this.sqlState = options.sqlState;
  }
}

/** A feature the engine at hand cannot provide (e.g. pg_stat_statements missing). */
export class UnsupportedError extends IndexwiseError {
  constructor(message: string) {
    super('UNSUPPORTED', message);
  }
}

/** The SQLSTATE of a driver error, if it has one (pg and PGlite both use `code`). */
export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** First line of an error's message, for one-line reports. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n').find((line) => line.trim() !== '') ?? 'unknown error';
  return first.trim();
}
