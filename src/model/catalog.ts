/**
 * What introspection finds in a database: the same shape for every engine.
 * Names are stored unquoted, exactly as the catalog spells them.
 */

export interface QualifiedName {
  readonly schema: string;
  readonly name: string;
}

export interface ColumnStats {
  /** pg_stats.n_distinct: > 0 an absolute count, < 0 a fraction of the rows (-1 = unique). */
  readonly nDistinct: number | null;
  readonly nullFrac: number | null;
  readonly correlation: number | null;
  readonly avgWidth: number | null;
}

export interface Column {
  readonly name: string;
  readonly position: number;
  readonly type: string;
  readonly nullable: boolean;
  readonly generated: boolean;
  readonly stats: ColumnStats | null;
  /** SQLite: the collation the column declares (COLLATE NOCASE), null for the default. */
  readonly collation?: string | null;
}

export const TABLE_KINDS = ['table', 'partitioned', 'partition', 'materialized view'] as const;
export type TableKind = (typeof TABLE_KINDS)[number];

export interface Table extends QualifiedName {
  readonly kind: TableKind;
  /** For a partition: its parent. */
  readonly parent: QualifiedName | null;
  /** Planner estimate (reltuples); for a partitioned table the sum over its partitions. Null if never analyzed. */
  readonly rowEstimate: number | null;
  readonly tableBytes: number;
  readonly totalBytes: number;
  readonly columns: readonly Column[];
  readonly primaryKey: readonly string[] | null;
  /** SQLite: a WITHOUT ROWID table. */
  readonly withoutRowid?: boolean;
  /** SQLite: the INTEGER PRIMARY KEY column that is the rowid (never worth an index of its own). */
  readonly rowidAlias?: string | null;
}

export interface IndexKey {
  /** The column name, or null when the key is an expression. */
  readonly column: string | null;
  /** The expression text as the database prints it, when the key is not a plain column. */
  readonly expression: string | null;
  /**
   * The expression was written by indexwise from a query (a planned index), not printed by
   * the database: it is compared loosely with the database's text (index-relations.ts).
   */
  readonly planned?: boolean;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
  /** Operator class when not the type's default (e.g. text_pattern_ops). */
  readonly opclass: string | null;
  /** Collation when not the column's default. */
  readonly collation: string | null;
}

export interface Index extends QualifiedName {
  readonly table: QualifiedName;
  readonly method: string;
  readonly unique: boolean;
  readonly primary: boolean;
  /** False for an index left behind by a failed CREATE INDEX CONCURRENTLY. */
  readonly valid: boolean;
  readonly keys: readonly IndexKey[];
  readonly include: readonly string[];
  /** The partial-index predicate, as the database prints it. */
  readonly predicate: string | null;
  readonly definition: string;
  readonly bytes: number;
  /** Name of the constraint this index enforces (primary key, unique, exclusion), if any. */
  readonly constraint: string | null;
  /** For an index on a partition that belongs to an index on the parent. */
  readonly parentIndex: QualifiedName | null;
}

export interface ForeignKey extends QualifiedName {
  readonly table: QualifiedName;
  readonly columns: readonly string[];
  readonly referencedTable: QualifiedName;
  readonly referencedColumns: readonly string[];
}

export interface View extends QualifiedName {
  /** The view's SELECT, as the database prints it. */
  readonly definition: string;
}

/** SQLite: a trigger, whose statements run with every write it fires on. */
export interface Trigger extends QualifiedName {
  readonly table: QualifiedName;
  readonly event: 'insert' | 'update' | 'delete';
  /** UPDATE OF these columns only (empty: every UPDATE). */
  readonly columns: readonly string[];
  /** The statements it runs, with NEW.x and OLD.x written as `?` parameters. */
  readonly statements: readonly string[];
}

export interface Catalog {
  readonly schemas: readonly string[];
  /** Schemas an unqualified name is looked up in, in order. */
  readonly searchPath: readonly string[];
  readonly tables: readonly Table[];
  readonly indexes: readonly Index[];
  readonly foreignKeys: readonly ForeignKey[];
  /** Plain views (queries on them are analyzed on their base tables). */
  readonly views: readonly View[];
  /** SQLite: triggers (their statements count as part of the writes that fire them). */
  readonly triggers?: readonly Trigger[];
}

/**
 * `schema.name`, unquoted: the key of a table or an index in a map or a set, and how
 * logs and generated comments name one. formatQualified (sql/names.ts) writes the quoted
 * form SQL and the JSON outputs use.
 */
export function qualifiedKey(name: QualifiedName): string;
export function qualifiedKey(schema: string, name: string): string;
export function qualifiedKey(nameOrSchema: QualifiedName | string, name?: string): string {
  return typeof nameOrSchema === 'string' ? `${nameOrSchema}.${name}` : `${nameOrSchema.schema}.${nameOrSchema.name}`;
}

export function sameName(a: QualifiedName, b: QualifiedName): boolean {
  return a.schema === b.schema && a.name === b.name;
}

export function findTable(catalog: Catalog, name: QualifiedName): Table | undefined {
  return catalog.tables.find((table) => sameName(table, name));
}

export function indexesOf(catalog: Catalog, table: QualifiedName): Index[] {
  return catalog.indexes.filter((index) => sameName(index.table, table));
}
