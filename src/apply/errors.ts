/** Errors only `apply` raises. */
import { IndexwiseError } from '../errors.js';

/** Another `apply` holds the database's apply lock: nothing was changed. Exit code 1. */
export class ApplyLockedError extends IndexwiseError {
  constructor(message: string) {
    super('LOCKED', message, { exitCode: 1 });
  }
}
