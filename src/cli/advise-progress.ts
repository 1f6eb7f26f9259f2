/**
 * Progress of `advise` on stderr: on a terminal a bar per long phase (baseline, explore,
 * verify) with its ETA; elsewhere only the phase lines the library reports.
 */
import cliProgress from 'cli-progress';
import type { AdviseStep } from '../advisor/advise.js';

const PHASE_LABELS: Record<string, string> = {
  baseline: 'costing each query as it is',
  explore: 'asking the planner about candidates',
  verify: 'checking the chosen indexes',
};

export function adviseProgress(enabled: boolean): { onStep: (step: AdviseStep) => void; stop: () => void } {
  let bar: cliProgress.SingleBar | undefined;
  let phase: string | undefined;
  const stop = () => {
    bar?.stop();
    bar = undefined;
    phase = undefined;
  };
  const onStep = (step: AdviseStep) => {
    if (!enabled || process.stderr.isTTY !== true) return;
    if (step.phase !== phase) {
      stop();
      phase = step.phase;
      bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `  ${(PHASE_LABELS[step.phase] ?? step.phase).padEnd(36)} {bar} {value}/{total} queries | ETA {eta_formatted}`,
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(step.total, 0);
    }
    bar?.update(step.done);
    if (step.done >= step.total) stop();
  };
  return { onStep, stop };
}
