/** Errors only `apply` raises. */
import { IndexwiseError, oneLine } from '../errors.js';
import type { QualifiedName } from '../model/catalog.js';
import { dropIndexSql } from '../sql/ddl.js';
import { formatQualified } from '../sql/names.js';

/** Another `apply` holds the database's apply lock: nothing was changed. Exit code 1. */
export class ApplyLockedError extends IndexwiseError {
  constructor(message: string) {
    super('LOCKED', message, { exitCode: 1 });
  }
}

/**
 * An invalid index a failed build left could not be dropped (the clean-up's DROP stopped
 * again and again, or the server went away): the message names it and how to drop it.
 * `unknown`: the database could not be asked whether it is there.
 */
export class LeftBehindError extends IndexwiseError {
  constructor(
    readonly index: QualifiedName,
    cause: unknown,
    unknown: boolean,
  ) {
    const name = formatQualified(index);
    super(
      'LEFT_BEHIND',
      `the invalid index ${name} ${unknown ? 'may be' : 'is'} left behind (${oneLine(cause)}): ` +
        `drop it with ${dropIndexSql(index, { concurrently: true, ifExists: true })}, or apply the same plan again (it drops it before building)`,
      { exitCode: 1, cause },
    );
  }
}
