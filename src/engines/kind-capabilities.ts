/**
 * The capabilities that follow from the kind of engine alone, whatever the server's
 * version and extensions: known from the connection string before connecting
 * (`apply --dry-run` shows the SQL it would run without opening the database). The
 * engines build their capabilities from this table.
 */
import type { EngineKind } from './connection-string.js';
import type { Capabilities } from './engine.js';

export type KindCapabilities = Pick<
  Capabilities,
  'concurrently' | 'statementTimeout' | 'isolatedWrites' | 'secondConnection' | 'operatorClasses' | 'statisticsViews'
>;

export const KIND_CAPABILITIES: Readonly<Record<EngineKind, KindCapabilities>> = {
  postgres: {
    concurrently: true,
    statementTimeout: true,
    isolatedWrites: false,
    secondConnection: true,
    operatorClasses: true,
    statisticsViews: true,
  },
  // one connection, in this process; single-threaded, so no statement_timeout
  pglite: {
    concurrently: false,
    statementTimeout: false,
    isolatedWrites: true,
    secondConnection: false,
    operatorClasses: true,
    statisticsViews: true,
  },
  sqlite: {
    concurrently: false,
    statementTimeout: false,
    isolatedWrites: true,
    secondConnection: false,
    operatorClasses: false,
    statisticsViews: false,
  },
};
