/** The shapes the scale benchmark's modules and its child processes pass each other. */
import type { Workload } from '../../src/model/workload.js';

/** indexwise; Dexter re-implemented; indexwise of another checkout (--baseline DIR), run the same way. */
export type Advisor = 'indexwise' | 'dexter' | 'baseline';

/** What a child process is asked to do: advise one size's workload on one schema. */
export interface AdviseJob {
  readonly advisor: Advisor;
  readonly database: string;
  readonly schema: string;
  readonly workload: Workload;
}

/** What the child measured; every field of the advisor's own `stats` is passed through. */
export interface AdviseMeasurement {
  readonly seconds: number;
  readonly catalogSeconds: number;
  readonly candidates: number;
  readonly whatIfCalls: number | null;
  readonly cacheHitRate: number | null;
  readonly costBefore: number;
  readonly costAfter: number;
  readonly recommendations: number;
  /** `report.stats` as advise returned it (Dexter: null). */
  readonly stats: Readonly<Record<string, unknown>> | null;
  /** Peak of process.memoryUsage().rss sampled every 100 ms, and process.resourceUsage().maxRSS, in MB. */
  readonly peakRssMb: number;
  readonly maxRssMb: number;
}

export type ChildMessage =
  | { readonly type: 'progress'; readonly message: string; readonly peakRssMb: number }
  | { readonly type: 'memory'; readonly peakRssMb: number }
  | { readonly type: 'done'; readonly measurement: AdviseMeasurement }
  | { readonly type: 'failed'; readonly error: string };

export interface AdvisorRun {
  readonly advisor: Advisor;
  readonly status: 'finished' | 'timeout' | 'failed';
  /** --max-seconds when the run was stopped (status timeout). */
  readonly maxSeconds: number | null;
  readonly error: string | null;
  /** The child's last progress message (where a stopped run was). */
  readonly lastProgress: string | null;
  /** The highest RSS the child reported, also for a stopped run. */
  readonly peakRssMb: number | null;
  readonly measurement: AdviseMeasurement | null;
}

export interface SizeResult {
  readonly size: number;
  readonly tables: number;
  readonly rows: number;
  readonly statements: number;
  /** Distinct shapes the generator made; the workload entries equal it (asserted). */
  readonly shapes: number;
  readonly fingerprints: number;
  readonly loadSeconds: number;
  readonly runs: readonly AdvisorRun[];
}
