/** SQLSTATEs apply branches on, and how to read one from any error. */
import { DatabaseError, sqlStateOf } from '../errors.js';

export const SQLSTATE = {
  lockTimeout: '55P03',
  queryCanceled: '57014',
  uniqueViolation: '23505',
  adminShutdown: '57P01',
} as const;

export function errorSqlState(error: unknown): string | undefined {
  if (error instanceof DatabaseError && error.sqlState !== undefined) return error.sqlState;
  return sqlStateOf(error) ?? sqlStateOf((error as { cause?: unknown } | null)?.cause);
}

/** A one-line reason for a failed statement, naming the common cases. */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  switch (errorSqlState(error)) {
    case SQLSTATE.lockTimeout:
      return `lock timeout: another session holds a conflicting lock (${message})`;
    case SQLSTATE.queryCanceled:
      return `statement timeout or cancel (${message})`;
    case SQLSTATE.uniqueViolation: {
      const detail = (error as { cause?: { detail?: unknown } }).cause?.detail;
      return `duplicate values: ${message}${typeof detail === 'string' ? ` (${detail})` : ''}`;
    }
    case SQLSTATE.adminShutdown:
      return `the build's connection was terminated (${message})`;
    default:
      return message ?? 'unknown error';
  }
}
