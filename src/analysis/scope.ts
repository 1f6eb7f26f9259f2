/**
 * Name scopes of a query: which FROM items a block sees, how a column reference
 * resolves to a base-table column (through aliases, subqueries, CTEs and views),
 * and the per-statement context that collects what the walk finds.
 */
import type { Catalog, QualifiedName } from '../model/catalog.js';
import type { ColumnRole, ColumnUse, Filter, JoinKey, KeyExpression, SortKey, TableWrite } from '../model/analysis.js';
import type { AstNode } from './parse.js';

/** A table access while the walk is still filling it in. */
export interface MutableAccess {
  readonly table: QualifiedName;
  readonly alias: string;
  readonly filters: Filter[];
  readonly orGroups: Filter[][][];
  readonly joins: JoinKey[];
  orderBy: SortKey[];
  readonly groupBy: string[];
  readonly columnsRead: Set<string>;
  allColumns: boolean;
  limited: boolean;
  nearest?: string;
}

/** A column of a base table, reached directly or through a derived relation. */
export interface ColumnSource {
  readonly access: MutableAccess;
  /** The column, or an expression's SQL (see `expression`). */
  readonly column: string;
  /** An expression key of the access's columns (src/analysis/expression.ts). */
  readonly expression?: KeyExpression;
}

export type ScopeItem =
  | { readonly kind: 'base'; readonly alias: string; readonly columns: ReadonlySet<string>; readonly access: MutableAccess }
  | {
      readonly kind: 'derived';
      readonly alias: string;
      /** Output column → the base column it passes through, or null for a computed one. */
      readonly outputs: ReadonlyMap<string, ColumnSource | null>;
      /** Outer conditions reach the base tables (the planner inlines/pushes them down). */
      readonly pushable: boolean;
    }
  | { readonly kind: 'opaque'; readonly alias: string; readonly columns: ReadonlySet<string> | null };

export interface CteDefinition {
  readonly name: string;
  readonly query: AstNode;
  readonly materialized: 'always' | 'never' | 'default';
  readonly recursive: boolean;
  readonly references: number;
  /** Filled on first reference: the CTE body is analyzed once. */
  result?: { readonly outputs: ReadonlyMap<string, ColumnSource | null>; readonly simple: boolean };
}

export interface Resolved {
  readonly item: ScopeItem;
  /** The base column, when the reference reaches one. */
  readonly source: ColumnSource | null;
  /** Found in an enclosing query block (a correlated reference). */
  readonly outer: boolean;
}

export class Scope {
  readonly items: ScopeItem[] = [];
  readonly ctes = new Map<string, CteDefinition>();

  constructor(readonly parent: Scope | null) {}

  findCte(name: string): CteDefinition | undefined {
    return this.ctes.get(name) ?? this.parent?.findCte(name);
  }

  /** Resolves a column reference's names (`col`, `alias.col`, `schema.table.col`). */
  resolve(names: readonly string[]): Resolved | undefined {
    const column = names[names.length - 1] ?? '';
    const qualifier = names.length >= 2 ? names[names.length - 2] : undefined;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the walk up the parent chain starts at this scope
    for (let scope: Scope | null = this, outer = false; scope !== null; scope = scope.parent, outer = true) {
      const found = qualifier === undefined ? scope.byColumn(column) : scope.byAlias(qualifier);
      if (found !== undefined) return { item: found, source: sourceOf(found, column), outer };
    }
    return undefined;
  }

  private byColumn(column: string): ScopeItem | undefined {
    return this.items.find((item) => {
      if (item.kind === 'base') return item.columns.has(column);
      if (item.kind === 'derived') return item.outputs.has(column);
      return item.columns?.has(column) ?? false;
    });
  }

  private byAlias(alias: string): ScopeItem | undefined {
    return this.items.find((item) => item.alias === alias);
  }
}

function sourceOf(item: ScopeItem, column: string): ColumnSource | null {
  if (item.kind === 'base') return item.columns.has(column) ? { access: item.access, column } : null;
  if (item.kind === 'derived' && item.pushable) return item.outputs.get(column) ?? null;
  return null;
}

/** Everything one statement's walk collects. */
export class AnalysisContext {
  readonly accesses: MutableAccess[] = [];
  readonly writes: TableWrite[] = [];
  readonly uses: ColumnUse[] = [];
  readonly notes = new Set<string>();
  readonly unknownTables = new Set<string>();
  sawSystemTable = false;
  readonly limitParams: number[] = [];
  readonly viewCache: Map<string, AstNode | null>;
  /** Analyzes a nested data-modifying statement (INSERT/UPDATE/DELETE in a WITH); set by analyze-query. */
  analyzeStatement: (stmt: AstNode, scope: Scope) => void = () => {};

  constructor(
    readonly catalog: Catalog,
    /** Whether a literal at this byte offset is the same on every execution. */
    readonly isConstantLiteral: (location: number) => boolean,
    viewCache: Map<string, AstNode | null> = new Map(),
  ) {
    this.viewCache = viewCache;
  }

  newAccess(table: QualifiedName, alias: string): MutableAccess {
    const access: MutableAccess = {
      table,
      alias,
      filters: [],
      orGroups: [],
      joins: [],
      orderBy: [],
      groupBy: [],
      columnsRead: new Set(),
      allColumns: false,
      limited: false,
    };
    this.accesses.push(access);
    return access;
  }

  use(source: ColumnSource, role: ColumnRole, detail?: string): void {
    for (const column of source.expression?.reads ?? [source.column]) source.access.columnsRead.add(column);
    const duplicate = this.uses.some(
      (u) => u.table === source.access.table && u.column === source.column && u.role === role && u.detail === detail,
    );
    if (!duplicate) {
      this.uses.push({
        table: source.access.table,
        column: source.column,
        role,
        ...(detail === undefined ? {} : { detail }),
        ...(source.expression === undefined ? {} : { expression: source.expression }),
      });
    }
  }
}
