/**
 * What a query does with each table: the filters, joins, sorts and reads the
 * advisor turns into index candidates. Produced by src/analysis from the parse tree.
 */
import type { QualifiedName } from './catalog.js';

/** How a filter compares a column. */
export const FILTER_KINDS = ['equality', 'range', 'prefix', 'null', 'not-null', 'infix', 'inequality', 'pattern'] as const;
export type FilterKind = (typeof FILTER_KINDS)[number];

/** What the column is compared with. */
export const OPERAND_KINDS = ['constant', 'param', 'outer', 'expression'] as const;
export type OperandKind = (typeof OPERAND_KINDS)[number];

/**
 * A key that is an expression of one table's columns (`lower(email)`, `(payload ->> 'id')`,
 * `created_at::date`) rather than a column: where a Filter, SortKey, ColumnUse or index key
 * carries one, its `column` is the expression's SQL, deparsed from the parse tree with the
 * columns unqualified — the text CREATE INDEX writes between its parentheses.
 */
export interface KeyExpression {
  /** The table's columns the expression reads. */
  readonly reads: readonly string[];
}

export interface Filter {
  /** The column, or an expression's SQL (see `expression`). */
  readonly column: string;
  /** Set when the left side is an expression of the table's columns rather than a column. */
  readonly expression?: KeyExpression;
  readonly kind: FilterKind;
  /** The operator as written: =, IN, = ANY, <, >=, BETWEEN, LIKE, IS NULL, (row) <, … */
  readonly operator: string;
  readonly operand: OperandKind;
  /** The $n placeholders the column is compared with (to pick values for them when measuring). */
  readonly params?: readonly number[];
  /**
   * For a predicate that is the same on every execution (`status = 'active'`,
   * `deleted_at IS NULL`): its SQL, ready for a partial index's WHERE.
   */
  readonly constantSql?: string;
  /** The collation the comparison names (`name = ? COLLATE NOCASE`), when it names one. */
  readonly collation?: string;
}

export interface JoinKey {
  /** The column, or an expression's SQL (see `expression`). */
  readonly column: string;
  readonly expression?: KeyExpression;
  readonly other: { readonly table: QualifiedName; readonly column: string };
}

export interface SortKey {
  /** The column, or an expression's SQL (see `expression`). */
  readonly column: string;
  readonly expression?: KeyExpression;
  readonly descending: boolean;
  /** null when the default for the direction (NULLS LAST for ASC, NULLS FIRST for DESC). */
  readonly nullsFirst: boolean | null;
  /** The collation the ORDER BY names (`name COLLATE NOCASE`), when it names one. */
  readonly collation?: string;
}

/** One occurrence of a table in a query block (a table joined twice has two). */
export interface TableAccess {
  readonly table: QualifiedName;
  readonly alias: string;
  /** Conditions ANDed at the top of WHERE / ON that apply to this table alone. */
  readonly filters: readonly Filter[];
  /** OR groups: each group is a list of branches, each branch the filters of this table in it. */
  readonly orGroups: readonly (readonly (readonly Filter[])[])[];
  readonly joins: readonly JoinKey[];
  /** The ORDER BY, when every sort key is a column of this table. */
  readonly orderBy: readonly SortKey[];
  readonly groupBy: readonly string[];
  /** Every column of this table the query reads (for covering indexes). */
  readonly columnsRead: readonly string[];
  /** SELECT * or a whole-row reference: no index can cover it. */
  readonly allColumns: boolean;
  /** The block has a LIMIT (an ordered index can stop early). */
  readonly limited: boolean;
  /** The column the block orders by distance to a value (`ORDER BY location <-> point(…)`): a GiST or SP-GiST index returns it nearest first. */
  readonly nearest?: string;
}

export const COLUMN_ROLES = [
  'equality',
  'range',
  'prefix',
  'null',
  'join',
  'order',
  'group',
  'distinct',
  'select',
  'infix',
  'expression',
  'write',
] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

export interface ColumnUse {
  readonly table: QualifiedName;
  /** The column, or an expression's SQL (see `expression`). */
  readonly column: string;
  readonly role: ColumnRole;
  /** An expression key an index can be built on (`lower(email) = $1`): the columns it reads. */
  readonly expression?: KeyExpression;
  /** e.g. "DESC NULLS LAST", "IN", "IS NOT NULL", "lower(email)". */
  readonly detail?: string;
}

export const STATEMENT_KINDS = ['select', 'insert', 'update', 'delete', 'merge'] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

export interface TableWrite {
  readonly table: QualifiedName;
  readonly kind: 'insert' | 'update' | 'delete' | 'merge';
  /** UPDATE: the columns it sets (an index on them makes every update pay). */
  readonly updatedColumns: readonly string[];
  /** Column → the $n placeholder it is given (INSERT … VALUES, UPDATE … SET col = $n). */
  readonly valueParams?: Readonly<Record<string, number>>;
}

export interface QueryAnalysis {
  readonly kind: StatementKind;
  readonly accesses: readonly TableAccess[];
  readonly writes: readonly TableWrite[];
  readonly uses: readonly ColumnUse[];
  /** Relations the query names that are not in the schema (reported, not guessed). */
  readonly unknownTables: readonly string[];
  /** The query reads only system catalogs, or no table at all. */
  readonly noUserTables: boolean;
  /** Things a developer should know: `lower(x)` compared, `LIKE '%x%'`, … */
  readonly notes: readonly string[];
  /** $n placeholders used as LIMIT or OFFSET. */
  readonly limitParams: readonly number[];
}

/**
 * What a statement's parse tree says about whether running it can change anything
 * (src/analysis/read-only.ts). Whether the functions it calls are volatile is the
 * database's to say (Engine.whyNotReadOnly).
 */
export interface StatementEffects {
  /** Why it is not a plain read, e.g. "INSERT in WITH", "SELECT … FOR UPDATE", "SELECT INTO"; empty for a plain SELECT. */
  readonly changes: readonly string[];
  /** Every function called by name, as written: `nextval`, `public.f` (views it reads included). */
  readonly functions: readonly string[];
  /** Every operator used by name, as written: `=`, `===`. */
  readonly operators: readonly string[];
  /** Functions it calls whose effect a rollback does not undo (`nextval`, `setval`, session advisory locks, …). */
  readonly irreversible: readonly string[];
}
