/** Where `advise` spends its time, and its time limit (--max-time). */

export const ADVISE_PHASES = ['analysis', 'candidates', 'baseline', 'explore', 'select', 'verify', 'report'] as const;
export type AdvisePhase = (typeof ADVISE_PHASES)[number];

export class PhaseClock {
  private readonly started = performance.now();
  private last = this.started;
  readonly seconds: Record<AdvisePhase, number> = { analysis: 0, candidates: 0, baseline: 0, explore: 0, select: 0, verify: 0, report: 0 };
  /** What the time limit cut short, in words. */
  readonly cuts: string[] = [];

  constructor(private readonly maxTimeMs?: number) {}

  /** Adds the time since the last phase ended to `phase`. */
  end(phase: AdvisePhase): void {
    const now = performance.now();
    this.seconds[phase] += (now - this.last) / 1000;
    this.last = now;
  }

  /** The moment `share` of the time limit is used up (undefined without a limit). */
  deadlineAt(share: number): number | undefined {
    return this.maxTimeMs === undefined ? undefined : this.started + share * this.maxTimeMs;
  }

  pastShare(share: number): boolean {
    const deadline = this.deadlineAt(share);
    return deadline !== undefined && performance.now() > deadline;
  }

  cutShort(what: string): void {
    this.cuts.push(what);
  }

  elapsedSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }
}
