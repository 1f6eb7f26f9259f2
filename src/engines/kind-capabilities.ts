/**
 * The capabilities that follow from the kind of engine alone, whatever the server's
 * version and extensions: known from the connection string before connecting
 * (`apply --dry-run` shows the SQL it would run without opening the database). The
 * engines build their capabilities from this table.
 */
import type { EngineKind } from './connection-string.js';
import type { Capabilities } from './engine.js';
import { INDEX_METHODS } from '../model/index-def.js';

export type KindCapabilities = Pick<
  Capabilities,
  | 'concurrently'
  | 'statementTimeout'
  | 'isolatedWrites'
  | 'secondConnection'
  | 'operatorClasses'
  | 'indexMethods'
  | 'statisticsViews'
  | 'readOnlyTransactions'
>;

export const KIND_CAPABILITIES: Readonly<Record<EngineKind, KindCapabilities>> = {
  postgres: {
    concurrently: true,
    statementTimeout: true,
    isolatedWrites: false,
    secondConnection: true,
    operatorClasses: true,
    indexMethods: INDEX_METHODS,
    statisticsViews: true,
    readOnlyTransactions: true,
  },
  // one connection, in this process; single-threaded, so no statement_timeout
  pglite: {
    concurrently: false,
    statementTimeout: false,
    isolatedWrites: true,
    secondConnection: false,
    operatorClasses: true,
    indexMethods: INDEX_METHODS,
    statisticsViews: true,
    readOnlyTransactions: true,
  },
  sqlite: {
    concurrently: false,
    statementTimeout: false,
    isolatedWrites: true,
    secondConnection: false,
    operatorClasses: false,
    indexMethods: ['btree'],
    statisticsViews: false,
    readOnlyTransactions: false,
  },
};
