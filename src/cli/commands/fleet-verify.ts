/**
 * `verify --fleet F`: a baseline of every member, a comparison of each with its own entry in
 * a saved fleet baseline (`verify compare before.json --fleet F`), or a trial of the advice
 * meant for each (`--trial`: a saved `advise --fleet --json` gives each member its group's).
 */
import { InputError } from '../../errors.js';
import { type AdvisedGroups, pickGroupAdvice } from '../../fleet/advise.js';
import type { FleetResult } from '../../fleet/result.js';
import { type FleetVerifyMode, fleetVerify, type VerifyJson } from '../../fleet/verify.js';
import type { Comparison, Measurement } from '../../model/measurement.js';
import type { AdviceReport } from '../../model/recommendation.js';
import type { TrialResult } from '../../verify/verify.js';
import { formatCount } from '../format.js';
import { readTrialAdvice } from '../input-files.js';
import { readJsonFile } from '../options.js';
import { checkOutFile, writeOutFile } from '../out-files.js';
import { progressReporter } from '../progress.js';
import { collectOptions } from './analyze.js';
import { type FleetFlags, fleetMembers, printFleet, queueFleet, renderFleetSummary, runOptions } from './fleet.js';
import { enqueueVerify } from '../../fleet/queue/index.js';
import type { VerifyFlags } from './verify.js';

const isMeasurement = (value: unknown): value is Measurement => (value as Measurement | null)?.kind === 'indexwise-measurement';

/** A saved fleet baseline (`verify --fleet … --json` or `--out`): each member's measurement by name. */
function readFleetBaseline(path: string): FleetVerifyMode {
  const json = readJsonFile(path, 'a fleet baseline') as { databases?: { name?: unknown; result?: unknown }[] } | null;
  if (!Array.isArray(json?.databases))
    throw new InputError(`${path} is not a fleet baseline (verify --fleet --json or --out): no "databases" list`);
  const baselines = new Map(json.databases.flatMap((d) => (isMeasurement(d.result) ? [[String(d.name), d.result] as const] : [])));
  return {
    kind: 'compare',
    baselineOf: (name) => {
      const baseline = baselines.get(name);
      if (baseline === undefined) throw new Error(`no baseline for ${name} in ${path}`);
      return baseline;
    },
  };
}

/** Each member's advice: its group's from a fleet advice, or the one advice for all. */
function trialMode(advice: { groups: AdvisedGroups } | { report: AdviceReport }, path: string): FleetVerifyMode {
  if ('report' in advice) return { kind: 'trial', adviceFor: () => advice.report.recommendations };
  return {
    kind: 'trial',
    adviceFor: (name) => {
      if (!advice.groups.some((g) => g.members.includes(name))) throw new Error(`in no schema group of ${path}`);
      return pickGroupAdvice(advice.groups, name).report.recommendations;
    },
  };
}

/** Every input checked before any database is touched, as for one database. */
export async function verifyOverFleet(mode: 'baseline' | 'compare', file: string | undefined, flags: VerifyFlags & FleetFlags) {
  if (flags.db !== undefined) throw new InputError('--fleet names the databases: leave out --db');
  if (mode === 'compare' && flags.trial !== undefined) throw new InputError('verify compare and --trial do not go together');
  if (mode === 'compare' && flags.out !== undefined)
    throw new InputError('verify compare --fleet keeps no measurement: take a new baseline with verify --fleet --out');
  const verifyMode: FleetVerifyMode =
    mode === 'compare'
      ? readFleetBaseline(file as string)
      : flags.trial !== undefined
        ? trialMode(await readTrialAdvice(flags.trial), flags.trial)
        : { kind: 'baseline' };
  if (flags.queue !== undefined && flags.out !== undefined)
    throw new InputError('verify --fleet --queue keeps no file: `fleet status --run ID --json` is the baseline, once the run is done');
  if (flags.out !== undefined) checkOutFile(flags.out);
  const members = fleetMembers(flags);
  const options = {
    verify: { runs: flags.runs, timeoutMs: flags.timeout, writes: flags.writes },
    from: flags.from,
    collect: collectOptions(flags),
  };
  // a baseline or an advice file is read here: each member's share of it goes into its job
  if (flags.queue !== undefined)
    return queueFleet(
      flags.queue,
      members.length,
      (q) => enqueueVerify(q, members, verifyMode, { ...options, timeoutMs: flags.dbTimeout }),
      flags.json,
    );
  const result = await fleetVerify(members, verifyMode, { ...options, ...runOptions(flags, progressReporter(!flags.quiet)) });
  if (flags.out !== undefined) writeOutFile(flags.out, `${JSON.stringify(measurementsOf(result), null, 2)}\n`);
  printFleet(result, flags.json, renderFleetVerify);
}

export function renderFleetVerify(result: FleetResult<VerifyJson>): string {
  return renderFleetSummary(result, 'verify', describe);
}

/** What --out keeps: each member's measurement (a trial's "after"), a baseline for `verify compare --fleet`. */
function measurementsOf(result: FleetResult<VerifyJson>): FleetResult<Measurement> {
  return {
    ...result,
    databases: result.databases.map(({ result: r, ...d }) =>
      r === undefined ? d : { ...d, result: isMeasurement(r) ? r : (r as TrialResult).after },
    ),
  };
}

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));

function describeComparison(c: Comparison): string {
  const speed = c.workload.speedup === null ? '' : `, ×${c.workload.speedup.toFixed(1)}`;
  return `${ms(c.workload.beforeMs)} ms → ${ms(c.workload.afterMs)} ms${speed} (Σ calls × median)`;
}

function describe(r: VerifyJson): string {
  if (isMeasurement(r)) {
    const measured = r.queries.filter((q) => q.medianMs !== null);
    const total = measured.reduce((sum, q) => sum + q.calls * (q.medianMs as number), 0);
    return `${formatCount(measured.length)} queries measured, ${ms(total)} ms (Σ calls × median)`;
  }
  if ('comparison' in r) return `${r.after.trialIndexes.length} indexes tried: ${describeComparison(r.comparison)}`;
  return describeComparison(r);
}
