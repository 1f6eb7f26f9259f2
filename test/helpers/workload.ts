/** A workload from SQL text, as `--from sql:FILE` would read it. */
import type { Workload } from '../../src/model/workload.js';
import { workloadFromSql as fromSql } from '../../src/workload/collect.js';

export function workloadFromSql(text: string): Promise<Workload> {
  return fromSql(text, 'sql:test');
}
