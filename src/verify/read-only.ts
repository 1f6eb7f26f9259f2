/**
 * Read or write, decided before a statement is measured. A statement is a read only when
 * it is provably one: a plain SELECT whose parse tree has no INSERT, UPDATE, DELETE or
 * MERGE (not in WITH either), no FOR UPDATE/SHARE and no INTO, and whose functions and
 * operators the database calls immutable or stable. Everything else is a write: run in a
 * transaction that is rolled back, or not at all. A statement calling a function whose
 * effect a rollback does not undo (nextval, a session advisory lock, …) is never run.
 */
import { statementEffects } from '../analysis/read-only.js';
import type { Engine } from '../engines/engine.js';
import type { Catalog } from '../model/catalog.js';

export type Verdict =
  | { readonly kind: 'read' }
  | { readonly kind: 'write'; readonly reason: string }
  | { readonly kind: 'irreversible'; readonly reason: string };

/** The parser must be loaded (loadParser). */
export async function judgeStatement(engine: Engine, catalog: Catalog, sql: string): Promise<Verdict> {
  const effects = statementEffects(sql, catalog);
  if (effects.irreversible.length > 0) {
    return { kind: 'irreversible', reason: `calls ${effects.irreversible.map((f) => `${f}()`).join(', ')}` };
  }
  const why = await engine.whyNotReadOnly(sql, effects);
  return why === null ? { kind: 'read' } : { kind: 'write', reason: why };
}
