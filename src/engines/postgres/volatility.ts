/**
 * Whether the functions and operators a statement names can change anything, per
 * pg_proc.provolatile: volatile ones can (they may write, take locks, advance sequences;
 * an immutable or stable function cannot modify the database — PostgreSQL's "Function
 * Volatility Categories"). Names are looked up with the names bound as parameters. Without
 * the argument types we cannot tell which of several functions of one name would run, so a
 * name counts as volatile when any function of that name is (in the schema written, or in
 * any schema when none is), and when the database knows none.
 */
import type { StatementEffects } from '../../model/analysis.js';
import type { PgDriver } from './driver.js';

const FUNCTIONS_SQL = `SELECT n.nspname AS schema, p.proname AS name, p.provolatile AS volatility
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE p.proname = ANY($1::text[])`;

const OPERATORS_SQL = `SELECT o.oprname AS name, p.provolatile AS volatility
FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_proc p ON p.oid = o.oprcode
WHERE o.oprname = ANY($1::text[])`;

interface Routine {
  readonly schema?: string;
  readonly name: string;
  readonly volatility: string;
}

/** `schema.name` or `name` as written → its parts (a three-part name keeps its last two). */
function split(written: string): { schema: string | null; name: string } {
  const parts = written.split('.');
  const name = parts[parts.length - 1] ?? written;
  return { schema: parts.length > 1 ? (parts[parts.length - 2] ?? null) : null, name };
}

/** The names among `written` that may change something: volatile, or unknown. */
function notSafe(written: readonly string[], routines: readonly Routine[], matches: (r: Routine, w: string) => boolean): string[] {
  return written.filter((w) => {
    const found = routines.filter((r) => matches(r, w));
    return found.length === 0 || found.some((r) => r.volatility === 'v');
  });
}

export async function whyNotReadOnly(driver: PgDriver, effects: StatementEffects): Promise<string | null> {
  if (effects.changes.length > 0) return effects.changes.join(', ');
  const reasons: string[] = [];
  if (effects.functions.length > 0) {
    const names = [...new Set(effects.functions.map((f) => split(f).name))];
    const rows = (await driver.query(FUNCTIONS_SQL, [names])) as unknown as Routine[];
    const volatile = notSafe(effects.functions, rows, (r, w) => {
      const { schema, name } = split(w);
      return r.name === name && (schema === null || r.schema === schema);
    });
    if (volatile.length > 0) reasons.push(`calls ${volatile.map((f) => `${f}()`).join(', ')}: volatile or unknown`);
  }
  if (effects.operators.length > 0) {
    const rows = (await driver.query(OPERATORS_SQL, [[...effects.operators]])) as unknown as Routine[];
    const volatile = notSafe(effects.operators, rows, (r, w) => r.name === w);
    if (volatile.length > 0) reasons.push(`uses operator ${volatile.join(', ')}: volatile or unknown`);
  }
  return reasons.length > 0 ? reasons.join('; ') : null;
}
