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
  /** `fleet status --wait --timeout`: the run was not finished in time. */
  timedOut: 3,
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

/** A statement ran longer than the timeout it was given (`timeoutMs`) and was cancelled. */
export class TimeoutError extends IndexwiseError {
  constructor(readonly timeoutMs: number) {
    super('TIMEOUT', `statement timed out after ${timeoutMs} ms`);
  }
}

/** A feature the engine at hand cannot provide (e.g. pg_stat_statements missing). */
export class UnsupportedError extends IndexwiseError {
  constructor(message: string) {
    super('UNSUPPORTED', message);
  }
}

/**
 * The SQLSTATEs indexwise branches on, by name (PostgreSQL's errcodes.txt). Code compares
 * with these, never with a literal or with message text.
 */
export const SQLSTATE = {
  /** statement_timeout, or a cancel request (pg_cancel_backend). */
  queryCanceled: '57014',
  /** lock_timeout: another session holds a conflicting lock. */
  lockTimeout: '55P03',
  uniqueViolation: '23505',
  /** The backend was terminated (pg_terminate_backend, a shutdown). */
  adminShutdown: '57P01',
  undefinedTable: '42P01',
  insufficientPrivilege: '42501',
  /** e.g. an operator class that does not accept the column's type (text_pattern_ops on an integer). */
  datatypeMismatch: '42804',
  /** e.g. a type with no default operator class for the access method (json and b-tree). */
  undefinedObject: '42704',
  /** e.g. an index row larger than a b-tree page can hold. */
  programLimitExceeded: '54000',
  /** e.g. a function in an index expression or predicate that is not IMMUTABLE. */
  invalidObjectDefinition: '42P17',
  /** e.g. CREATE EXTENSION of an extension the server does not have (no control file). */
  undefinedFile: '58P01',
  /** A write tried in a READ ONLY transaction (a measurement of a statement judged a read). */
  readOnlySqlTransaction: '25006',
} as const;

const driverCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
};

/** The SQLSTATE of an error: a DatabaseError's, or a driver error's `code` (pg and PGlite), or its cause's. */
export function sqlStateOf(error: unknown): string | undefined {
  if (error instanceof DatabaseError && error.sqlState !== undefined) return error.sqlState;
  return driverCode(error) ?? driverCode((error as { cause?: unknown } | null)?.cause);
}

/** First line of an error's message, for one-line reports. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n').find((line) => line.trim() !== '') ?? 'unknown error';
  return first.trim();
}
