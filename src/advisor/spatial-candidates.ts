/**
 * GiST and SP-GiST candidates: the operators of ranges, geometric types, network
 * addresses, text prefixes (`^@`) and the nearest-neighbour order `ORDER BY col <-> value`.
 * Which access method and operator class serves which operator is PostgreSQL's catalog
 * (pg_amop; the same in PostgreSQL 15 and 18), as "GiST/SP-GiST Built-in Operator Classes"
 * in its documentation lists it:
 * - ranges: GiST range_ops (default) and SP-GiST range_ops (default) both serve && @> <@ << >>
 *   &< &> -|-; multirange operands, and multirange columns (multirange_ops), are GiST's only;
 * - point: GiST point_ops (default), SP-GiST quad_point_ops (default) and kd_point_ops serve
 *   << >> <^ >^ <<| |>> ~= and `point <@ box`, and order by `<->`;
 * - box and polygon: GiST and SP-GiST box_ops / poly_ops serve the same operators and the
 *   `<->` order; circle is GiST's only;
 * - inet/cidr: SP-GiST inet_ops (default) and GiST inet_ops (not the default there: it must be
 *   named) serve << <<= >> >>= &&;
 * - text `^@` (starts with): SP-GiST text_ops (default) only.
 * Where both methods serve an operator both are offered: the costing decides, and the cheaper
 * plan wins. Pure.
 */
import type { Filter, TableAccess } from '../model/analysis.js';
import { type IndexDef, type IndexMethod, type KeyColumn, keyColumn } from '../model/index-def.js';

const RANGE_GIST = new Set(['&&', '@>', '<@', '<<', '>>', '&<', '&>', '-|-']);
const GEOMETRIC_GIST = new Set(['&&', '@>', '<@', '<<', '>>', '&<', '&>', '<<|', '|>>', '&<|', '|&>', '~=', '<^', '>^']);
const POINT_OPERATORS = new Set(['<<', '>>', '<^', '>^', '<<|', '|>>', '~=', '<@']);
const NETWORK_OPERATORS = new Set(['<<', '<<=', '>>', '>>=', '&&']);
/** text_ops indexes text, and varchar (binary-coercible to text); char(n) is not (its cast to text trims): no SP-GiST class. */
const TEXT_TYPE = /^(text|character varying|varchar)\b/;

/** Each method's way of indexing a type, for the operators both serve; none for a type neither knows. */
function classesFor(type: string, operator: string): KeyClass[] {
  // multiranges: GiST's multirange_ops only, SP-GiST has no class for them
  if (/multirange$/.test(type)) return RANGE_GIST.has(operator) ? [GIST] : [];
  if (/range$/.test(type)) return RANGE_GIST.has(operator) ? [GIST, SPGIST] : [];
  if (type === 'point') return POINT_OPERATORS.has(operator) ? POINT_CLASSES : [];
  if (type === 'box' || type === 'polygon') return GEOMETRIC_GIST.has(operator) ? [GIST, SPGIST] : [];
  if (type === 'circle') return GEOMETRIC_GIST.has(operator) ? [GIST] : [];
  if (type === 'inet' || type === 'cidr') return NETWORK_OPERATORS.has(operator) ? [GIST_INET, SPGIST] : [];
  if (TEXT_TYPE.test(type)) return operator === '^@' ? [SPGIST] : [];
  return [];
}

/** Types whose GiST and SP-GiST classes order by distance (`ORDER BY col <-> value`). */
function nearestClassesFor(type: string): KeyClass[] {
  if (type === 'point') return POINT_CLASSES;
  if (type === 'box' || type === 'polygon') return [GIST, SPGIST];
  if (type === 'circle') return [GIST];
  return [];
}

interface KeyClass {
  readonly method: IndexMethod;
  /** null: the type's default class for the method. */
  readonly opclass: string | null;
}

const GIST: KeyClass = { method: 'gist', opclass: null };
const SPGIST: KeyClass = { method: 'spgist', opclass: null };
const GIST_INET: KeyClass = { method: 'gist', opclass: 'inet_ops' };
const POINT_CLASSES: KeyClass[] = [GIST, SPGIST, { method: 'spgist', opclass: 'kd_point_ops' }];

/** The GiST and SP-GiST definitions that can serve one filter on a column of type `type`. */
export function spatialDefs(access: TableAccess, filter: Filter, type: string): IndexDef[] {
  if (filter.expression) return [];
  return classesFor(type, filter.operator).map((c) => define(access, c.method, keyColumn(filter.column, { opclass: c.opclass })));
}

/** The definitions that can return this access's rows nearest first (`ORDER BY col <-> value`). */
export function nearestDefs(access: TableAccess, type: (column: string) => string | undefined): IndexDef[] {
  const column = access.nearest;
  const columnType = column === undefined ? undefined : type(column);
  if (column === undefined || columnType === undefined) return [];
  return nearestClassesFor(columnType).map((c) => define(access, c.method, keyColumn(column, { opclass: c.opclass })));
}

function define(access: TableAccess, method: IndexMethod, key: KeyColumn): IndexDef {
  return { table: access.table, keys: [key], include: [], where: null, method, unique: false };
}
