/**
 * What a statement's parse tree says about whether running it can change anything: a
 * plain SELECT with no INSERT/UPDATE/DELETE/MERGE anywhere (a data-modifying WITH), no
 * locking clause (FOR UPDATE, FOR NO KEY UPDATE, FOR SHARE, FOR KEY SHARE) and no SELECT
 * INTO changes nothing by itself; the functions and operators it names may, and whether
 * they are volatile is for the database to say (pg_proc.provolatile). The views it reads
 * are looked into: their definitions can call functions too. Pure.
 */
import type { StatementEffects } from '../model/analysis.js';
import { type Catalog, qualifiedKey } from '../model/catalog.js';
import { list, unwrap } from './ast.js';
import type { AstNode } from './parse.js';
import { lookupRelation } from './relations.js';
import { parseEitherFlavour } from './sqlite-flavour.js';

const WRITE_STATEMENTS: Readonly<Record<string, string>> = {
  InsertStmt: 'INSERT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  MergeStmt: 'MERGE',
};

const LOCKING_STRENGTHS: Readonly<Record<string, string>> = {
  LCS_FORUPDATE: 'SELECT … FOR UPDATE',
  LCS_FORNOKEYUPDATE: 'SELECT … FOR NO KEY UPDATE',
  LCS_FORSHARE: 'SELECT … FOR SHARE',
  LCS_FORKEYSHARE: 'SELECT … FOR KEY SHARE',
};

/**
 * Functions whose effect a rollback does not undo (PostgreSQL's documentation: sequence
 * functions "are never rolled back"; session-level advisory locks outlive the transaction;
 * signals, configuration reloads, WAL, replication slots, statistics resets, files and
 * remote connections are outside it). A statement calling one is never run by a measurement.
 */
export const IRREVERSIBLE_FUNCTIONS = [
  'nextval',
  'setval',
  'pg_advisory_lock',
  'pg_advisory_lock_shared',
  'pg_try_advisory_lock',
  'pg_try_advisory_lock_shared',
  'pg_cancel_backend',
  'pg_terminate_backend',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_switch_wal',
  'pg_create_restore_point',
  'pg_logical_emit_message',
  'pg_create_physical_replication_slot',
  'pg_create_logical_replication_slot',
  'pg_drop_replication_slot',
  'pg_stat_reset',
  'pg_stat_reset_shared',
  'pg_stat_reset_single_table_counters',
  'pg_stat_reset_single_function_counters',
  'pg_stat_reset_slru',
  'pg_stat_reset_replication_slot',
  'pg_stat_statements_reset',
  'lo_export',
  'pg_file_write',
  'dblink',
  'dblink_exec',
  'dblink_connect',
  'dblink_send_query',
] as const;
const IRREVERSIBLE = new Set<string>(IRREVERSIBLE_FUNCTIONS);

/** Views inside views: deeper than this the statement counts as not provably read-only. */
const MAX_VIEW_DEPTH = 16;

class Effects {
  readonly changes = new Set<string>();
  readonly functions = new Set<string>();
  readonly operators = new Set<string>();
  readonly viewsSeen = new Set<string>();
  constructor(readonly catalog: Catalog) {}
}

/** The effects of the statement in `sql` (PostgreSQL text, or SQLite's flavour). */
export function statementEffects(sql: string, catalog: Catalog): StatementEffects {
  const effects = new Effects(catalog);
  const parsed = parseEitherFlavour(sql);
  if (!parsed.ok) effects.changes.add('a statement that does not parse');
  else if (parsed.statements.length !== 1) effects.changes.add(`${parsed.statements.length} statements`);
  else visitStatement(parsed.statements[0]?.stmt, effects, 0);
  const functions = [...effects.functions].sort();
  return {
    changes: [...effects.changes],
    functions,
    operators: [...effects.operators].sort(),
    irreversible: functions.filter((f) => IRREVERSIBLE.has(f.split('.').pop() ?? f)),
  };
}

function visitStatement(stmt: AstNode | undefined, effects: Effects, depth: number): void {
  const [type, body] = unwrap(stmt);
  if (type === undefined) return;
  const write = WRITE_STATEMENTS[type];
  if (write !== undefined) effects.changes.add(write);
  else if (type !== 'SelectStmt') effects.changes.add(`a ${type.replace(/Stmt$/, '')} statement`);
  if (type === 'SelectStmt') visitSelect(body, effects);
  visit(body, effects, depth);
}

function visitSelect(body: AstNode, effects: Effects): void {
  if (body.intoClause !== undefined) effects.changes.add('SELECT INTO');
  for (const clause of list(body.lockingClause)) {
    const strength = String(unwrap(clause)[1]?.strength ?? '');
    effects.changes.add(LOCKING_STRENGTHS[strength] ?? `SELECT … ${strength}`);
  }
}

/** Every node below `node`: writes nested in WITH, locking clauses, function and operator names, views. */
function visit(node: unknown, effects: Effects, depth: number): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, effects, depth);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as AstNode)) {
    const write = WRITE_STATEMENTS[key];
    if (write !== undefined) effects.changes.add(`${write} in WITH`);
    else if (key === 'SelectStmt') visitSelect(value as AstNode, effects);
    else if (key === 'FuncCall') effects.functions.add(dottedName((value as AstNode).funcname));
    else if (key === 'A_Expr') operatorsOf(value as AstNode).forEach((op) => effects.operators.add(op));
    else if (key === 'RangeVar') visitView(value as AstNode, effects, depth);
    visit(value, effects, depth);
  }
}

function dottedName(names: unknown): string {
  return list(names)
    .map((n) => String(unwrap(n)[1]?.sval ?? ''))
    .join('.');
}

/** The operators an A_Expr names; BETWEEN stands for >= and <=. */
function operatorsOf(aExpr: AstNode): string[] {
  if (String(aExpr.kind ?? '').startsWith('AEXPR_BETWEEN') || String(aExpr.kind ?? '').startsWith('AEXPR_NOT_BETWEEN')) {
    return ['>=', '<=', '>', '<'];
  }
  const names = list(aExpr.name).map((n) => String(unwrap(n)[1]?.sval ?? ''));
  const name = names[names.length - 1];
  return name === undefined || name === '' ? [] : [name];
}

function visitView(rangeVar: AstNode, effects: Effects, depth: number): void {
  const relation = lookupRelation(effects.catalog, rangeVar.schemaname, String(rangeVar.relname ?? ''));
  if (relation.kind !== 'view') return;
  const key = qualifiedKey(relation.view);
  if (effects.viewsSeen.has(key)) return;
  effects.viewsSeen.add(key);
  if (depth >= MAX_VIEW_DEPTH) {
    effects.changes.add(`views nested deeper than ${MAX_VIEW_DEPTH}`);
    return;
  }
  const parsed = parseEitherFlavour(relation.view.definition);
  if (!parsed.ok) {
    effects.changes.add(`view ${key} whose definition does not parse`);
    return;
  }
  for (const statement of parsed.statements) visitStatement(statement.stmt, effects, depth + 1);
}
