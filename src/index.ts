/** indexwise's library API. The CLI is a thin layer over these exports. */
export { EXIT, IndexwiseError, InputError, ConnectionError, DatabaseError, UnsupportedError } from './errors.js';
export { connect, type ConnectOptions } from './engines/connect.js';
export {
  parseConnectionString,
  redactConnectionString,
  type ConnectionTarget,
  type EngineKind,
} from './engines/connection-string.js';
export type { Engine, EngineInfo, EngineFamily, Capabilities, ExplainOptions, QueryOptions, Row } from './engines/engine.js';
export type * from './model/catalog.js';
export { findTable, indexesOf, sameName } from './model/catalog.js';
export { type Plan, type PlanNode, indexesUsed, scanTypes, walkPlan } from './model/plan.js';
export { quoteIdent, formatQualified } from './model/names.js';
export { runDemo, openDemo, demoWorkload, costWorkload, type DemoOptions, type DemoReport } from './demo/run.js';
export { loadDemo, type LoadedDemo } from './demo/load.js';
export { demoSizes, type DemoSizes } from './demo/generate.js';
export { parseAnnotatedWorkload, type AnnotatedQuery } from './demo/workload-file.js';
