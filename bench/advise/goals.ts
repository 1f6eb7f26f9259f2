/**
 * The project's goals for its advice, checked against a run. Pure.
 * - indexwise's workload cost ≤ both baselines' at every budget;
 * - TPC-H, per budget: geomean ≤ 0.20 (over all 22 queries, as the README's peers
 *   were scored), Q17 ≥ ×1,000, Q20 ≥ ×150,000;
 * - TPC-H, "with fewer index bytes than the best peer": indexwise given a budget just
 *   under the index bytes of each peer the README scored without a budget (supabase
 *   index_advisor's union, the best there; Dexter's unbudgeted advice) reaches
 *   geomean ≤ 0.20, Q17 ≥ ×1,000 and Q20 ≥ ×150,000.
 */
import type { Evaluation, RunRecord } from './types.js';

export interface ReferenceRecord {
  readonly workload: string;
  readonly name: string;
  readonly indexes: number;
  readonly evaluation: Evaluation;
  /** For indexwise run at a peer's size: that size. */
  readonly peerBytes?: number;
  /** And which peer it is. */
  readonly peerName?: string;
}

export interface GoalCheck {
  readonly goal: string;
  readonly met: boolean;
  readonly detail: string;
}

/** Costs within this relative distance count as equal (planner noise, summation order). */
const TIE = 1e-6;
const TPCH = 'TPC-H';
const GEOMEAN_GOAL = 0.2;

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const times = (x: number | undefined) => `×${Math.round(x ?? 0).toLocaleString('en-US')}`;
const peerGeomean = (e: Evaluation) => e.geomeanWithExtra ?? e.geomean;

function budgetGroups(records: readonly RunRecord[]): RunRecord[][] {
  const groups = new Map<string, RunRecord[]>();
  for (const r of records) {
    const key = `${r.workload}\u0000${r.budgetShare}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()];
}

function tpchChecks(where: string, e: Evaluation): GoalCheck[] {
  return [
    {
      goal: `${where}: geomean ≤ 0.20 (all 22 queries)`,
      met: peerGeomean(e) <= GEOMEAN_GOAL,
      detail: `${peerGeomean(e).toFixed(4)}; the 21 advised queries ${e.geomean.toFixed(4)}`,
    },
    { goal: `${where}: Q17 ≥ ×1,000`, met: (e.cheaperBy.Q17 ?? 0) >= 1000, detail: times(e.cheaperBy.Q17) },
    { goal: `${where}: Q20 ≥ ×150,000`, met: (e.cheaperBy.Q20 ?? 0) >= 150_000, detail: times(e.cheaperBy.Q20) },
  ];
}

function checkBudget(group: readonly RunRecord[]): GoalCheck[] {
  const mine = group.find((r) => r.result.algorithm === 'indexwise');
  const peers = group.filter((r) => r.result.algorithm !== 'indexwise');
  if (mine === undefined || peers.length === 0) return [];
  const where = `${mine.workload}, budget ${Math.round(mine.budgetShare * 100)}%`;
  const cost = mine.evaluation.costAfter;
  const versus: GoalCheck = {
    goal: `${where}: workload cost ≤ both baselines`,
    met: peers.every((p) => cost <= p.evaluation.costAfter * (1 + TIE)),
    detail: `${peers.map((p) => `${p.result.algorithm} ${p.evaluation.costAfter.toFixed(0)}`).join(', ')}; indexwise ${cost.toFixed(0)}`,
  };
  return mine.workload.startsWith(TPCH) ? [versus, ...tpchChecks(where, mine.evaluation)] : [versus];
}

function checkPeerSize(reference: ReferenceRecord): GoalCheck {
  const e = reference.evaluation;
  const peerBytes = reference.peerBytes ?? 0;
  const met =
    peerGeomean(e) <= GEOMEAN_GOAL && e.indexBytes < peerBytes && (e.cheaperBy.Q17 ?? 0) >= 1000 && (e.cheaperBy.Q20 ?? 0) >= 150_000;
  return {
    goal: `${reference.workload}: geomean ≤ 0.20, Q17 ≥ ×1,000 and Q20 ≥ ×150,000 with fewer index bytes than ${reference.peerName ?? 'the peer'} (${mb(peerBytes)})`,
    met,
    detail: `indexwise with a budget of ${mb(peerBytes)}: ${mb(e.indexBytes)}, geomean ${peerGeomean(e).toFixed(4)}, Q17 ${times(e.cheaperBy.Q17)}, Q20 ${times(e.cheaperBy.Q20)}`,
  };
}

export function checkGoals(records: readonly RunRecord[], references: readonly ReferenceRecord[]): GoalCheck[] {
  return [...budgetGroups(records).flatMap(checkBudget), ...references.filter((r) => r.peerBytes !== undefined).map(checkPeerSize)];
}
