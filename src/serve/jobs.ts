/**
 * Background jobs (advise, apply, trial): started by a POST, watched by the page through
 * GET /api/jobs/:id, which returns what the job has said so far. Kept in memory; the
 * newest few only.
 */
import { randomUUID } from 'node:crypto';
import { oneLine } from '../errors.js';

export const JOB_KINDS = ['advise', 'apply', 'trial'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export interface JobView {
  readonly id: string;
  readonly kind: JobKind;
  readonly state: 'running' | 'done' | 'failed';
  /** Progress lines, oldest first. */
  readonly log: readonly string[];
  /** The current step of a long phase: done of total. */
  readonly step: { readonly label: string; readonly done: number; readonly total: number } | null;
  readonly error: string | null;
  /** Where to see the result when done. */
  readonly resultUrl: string | null;
}

export interface JobHandle {
  log(line: string): void;
  step(label: string, done: number, total: number): void;
}

const KEEP = 20;

export class Jobs {
  private readonly jobs = new Map<string, JobView>();

  start(kind: JobKind, resultUrl: string, work: (job: JobHandle) => Promise<void>): JobView {
    const id = randomUUID();
    const update = (change: Partial<JobView>) => {
      const current = this.jobs.get(id);
      if (current) this.jobs.set(id, { ...current, ...change });
    };
    const view: JobView = { id, kind, state: 'running', log: [], step: null, error: null, resultUrl: null };
    this.jobs.set(id, view);
    for (const old of [...this.jobs.keys()].slice(0, Math.max(0, this.jobs.size - KEEP))) this.jobs.delete(old);
    const handle: JobHandle = {
      log: (line) => update({ log: [...(this.jobs.get(id)?.log ?? []), line].slice(-200) }),
      step: (label, done, total) => update({ step: { label, done, total } }),
    };
    work(handle).then(
      () => update({ state: 'done', resultUrl }),
      (error: unknown) => update({ state: 'failed', error: oneLine(error) }),
    );
    return view;
  }

  get(id: string): JobView | undefined {
    return this.jobs.get(id);
  }

  /** Whether any job is still running (a fleet member is then kept open). */
  busy(): boolean {
    return [...this.jobs.values()].some((j) => j.state === 'running');
  }

  running(kind: JobKind): JobView | undefined {
    return [...this.jobs.values()].find((j) => j.kind === kind && j.state === 'running');
  }
}
