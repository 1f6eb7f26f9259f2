/** How a failed statement reads in apply's report, by its SQLSTATE. */
import { SQLSTATE, sqlStateOf } from '../errors.js';

/** A one-line reason for a failed statement, naming the common cases. */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  switch (sqlStateOf(error)) {
    case SQLSTATE.lockTimeout:
      return `lock timeout: another session holds a conflicting lock (${message})`;
    case SQLSTATE.queryCanceled:
      return `statement timeout or cancel (${message})`;
    case SQLSTATE.uniqueViolation: {
      const detail = (error as { cause?: { detail?: unknown } }).cause?.detail;
      return `duplicate values: ${message}${typeof detail === 'string' ? ` (${detail})` : ''}`;
    }
    case SQLSTATE.adminShutdown:
      return `the connection was terminated (${message})`;
    default:
      return message ?? 'unknown error';
  }
}
