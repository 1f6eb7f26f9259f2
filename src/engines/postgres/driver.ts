/**
 * What the PostgreSQL family needs from a driver. `pg` (a server) and PGlite
 * (embedded) both implement it; everything else in postgres/ is shared.
 */
import type { Row } from '../engine.js';

export interface PgDriver {
  readonly kind: 'postgres' | 'pglite';
  /** Where we are connected, password-free. */
  readonly target: string;
  /**
   * One statement over the extended protocol, with bound parameters. The
   * extended protocol refuses to run more than one statement, which keeps a
   * workload text from smuggling a second command in.
   */
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Several statements without parameters. Only for SQL that indexwise wrote itself. */
  exec(sql: string): Promise<void>;
  /** A second, independent connection to the same database (absent where there can be only one, as in PGlite). */
  reopen?(): Promise<PgDriver>;
  close(): Promise<void>;
}
