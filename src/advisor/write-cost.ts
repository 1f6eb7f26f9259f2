/**
 * What an index costs the writes of its table, in the same units as the read
 * savings (planner cost × calls): every row an INSERT adds, and every row an
 * UPDATE changes in one of the index's columns (no HOT update then), adds an entry
 * to the index. We charge INDEX_ENTRY_COST planner units per entry: about one
 * random page touch (random_page_cost 4) plus WAL and CPU.
 */
import { type IndexDef, keyReads } from '../model/index-def.js';
import type { TableWrite } from '../model/analysis.js';
import { qualifiedKey } from '../model/catalog.js';

export const INDEX_ENTRY_COST = 8;

export interface WriteQuery {
  readonly weight: number;
  readonly writes: readonly TableWrite[];
  /** Rows written per call, from the plan's estimate (1 when unknown). */
  readonly rowsPerCall: number;
}

/** The table's columns an index holds or computes its keys from (an UPDATE of one of them writes an entry). */
export function indexColumns(def: IndexDef): string[] {
  return [...def.keys.flatMap(keyReads), ...def.include];
}

export function writePenalty(def: IndexDef, writers: readonly WriteQuery[]): number {
  const table = qualifiedKey(def.table);
  const columns = indexColumns(def);
  let penalty = 0;
  for (const query of writers) {
    for (const write of query.writes) {
      if (qualifiedKey(write.table) !== table) continue;
      const touches =
        write.kind === 'insert' ||
        write.kind === 'merge' ||
        (write.kind === 'update' && write.updatedColumns.some((c) => columns.includes(c) || (def.where ?? '').includes(c)));
      if (touches) penalty += query.weight * Math.max(1, query.rowsPerCall) * INDEX_ENTRY_COST;
    }
  }
  return penalty;
}
