/**
 * Reading one line of SQLite's EXPLAIN QUERY PLAN: what it does (scan, search, sort,
 * a sub-query…), through which table or index, under which constraints. SQLite prints
 * names unquoted (`SEARCH Order Items USING INDEX my idx (order no=?)`), so a name runs
 * up to the next keyword. Pure.
 */

export interface EqpRow {
  readonly id: number;
  readonly parent: number;
  readonly detail: string;
}

export const ACCESS_PATHS = ['table', 'index', 'covering-index', 'automatic-index', 'rowid', 'primary-key'] as const;
export type AccessPath = (typeof ACCESS_PATHS)[number];

export interface Constraint {
  readonly column: string;
  /** '=' (also IN and IS), '>' or '<' (a range bound), 'any' (a skip-scan over the column). */
  readonly op: '=' | '>' | '<' | 'any';
}

export type Step =
  | {
      readonly kind: 'access';
      readonly search: boolean;
      readonly name: string;
      readonly path: AccessPath;
      readonly index: string | null;
      readonly constraints: readonly Constraint[];
    }
  | { readonly kind: 'sort'; readonly partial: boolean; readonly purpose: string }
  /** Runs once per row of the loop it sits in (CORRELATED … SUBQUERY). */
  | { readonly kind: 'correlated' }
  /** Runs once and feeds rows to a name (CO-ROUTINE x, MATERIALIZE x). */
  | { readonly kind: 'producer'; readonly name: string }
  /** A group of steps whose costs add up: sub-queries run once, compound parts, OR branches. */
  | { readonly kind: 'group'; readonly label: string }
  | { readonly kind: 'other'; readonly label: string };

const ACCESS =
  /^(SCAN|SEARCH) (.+?)(?: USING (AUTOMATIC PARTIAL COVERING INDEX|AUTOMATIC COVERING INDEX|AUTOMATIC PARTIAL INDEX|AUTOMATIC INDEX|COVERING INDEX|INDEX|INTEGER PRIMARY KEY|PRIMARY KEY)(?: ([^(].*?))?)?(?: \((.*)\))?(?: (?:LEFT|RIGHT)-JOIN)?$/;

function pathOf(using: string | undefined): AccessPath {
  if (using === undefined) return 'table';
  if (using.startsWith('AUTOMATIC')) return 'automatic-index';
  if (using === 'COVERING INDEX') return 'covering-index';
  if (using === 'INDEX') return 'index';
  return using === 'INTEGER PRIMARY KEY' ? 'rowid' : 'primary-key';
}

/** `order no=? AND b>? AND b<?` → constraints in index order. */
export function readConstraints(text: string | undefined): Constraint[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(' AND ').map((part): Constraint => {
    const any = /^ANY\((.*)\)$/.exec(part);
    if (any) return { column: any[1] as string, op: 'any' };
    const match = /^(.*?)(=|>|<)\?$/.exec(part);
    return match ? { column: match[1] as string, op: match[2] as '=' | '>' | '<' } : { column: part, op: '=' };
  });
}

export function readStep(detail: string): Step {
  const access = ACCESS.exec(detail);
  if (access && !/^SCAN CONSTANT ROW$/.test(detail)) {
    return {
      kind: 'access',
      search: access[1] === 'SEARCH',
      name: access[2] as string,
      path: pathOf(access[3]),
      index: access[4] ?? null,
      constraints: readConstraints(access[5]),
    };
  }
  const sort = /^USE TEMP B-TREE FOR (.*)$/.exec(detail);
  if (sort) return { kind: 'sort', partial: /LAST TERM|RIGHT PART/.test(sort[1] as string), purpose: sort[1] as string };
  if (/^CORRELATED /.test(detail)) return { kind: 'correlated' };
  const producer = /^(?:CO-ROUTINE|MATERIALIZE) (.*)$/.exec(detail);
  if (producer) return { kind: 'producer', name: producer[1] as string };
  if (/SUBQUERY|COMPOUND|UNION|EXCEPT|INTERSECT|^LEFT$|^RIGHT$|^MULTI-INDEX OR$|^INDEX \d+$/.test(detail))
    return { kind: 'group', label: detail };
  return { kind: 'other', label: detail };
}

export interface PlanTree {
  readonly row: EqpRow;
  readonly children: readonly PlanTree[];
}

/** EXPLAIN QUERY PLAN rows (each naming its parent) as a tree under a virtual root (id 0). */
export function planTree(rows: readonly EqpRow[]): PlanTree[] {
  const children = new Map<number, EqpRow[]>();
  for (const row of rows) children.set(row.parent, [...(children.get(row.parent) ?? []), row]);
  const known = new Set(rows.map((r) => r.id));
  const build = (row: EqpRow, depth: number): PlanTree => ({
    row,
    children: depth > 64 ? [] : (children.get(row.id) ?? []).map((c) => build(c, depth + 1)),
  });
  // rows whose parent is not in the plan hang off the root
  return rows.filter((r) => r.parent === 0 || !known.has(r.parent)).map((r) => build(r, 0));
}
