/** A byte-based progress bar on stderr for long inputs (logs), shown only on a terminal. */
import cliProgress from 'cli-progress';
import type { CollectProgress } from '../workload/collect.js';

export function collectProgress(
  enabled: boolean,
  log: (message: string) => void,
): { onProgress: (event: CollectProgress) => void; stop: () => void } {
  let bar: cliProgress.SingleBar | undefined;
  const interactive = enabled && process.stderr.isTTY === true;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  const onProgress = (event: CollectProgress) => {
    if (!enabled) return;
    if (event.kind === 'source') {
      stop();
      log(`reading ${event.source}`);
    } else if (interactive && event.kind === 'bytes' && event.total > 0) {
      if (bar === undefined) {
        bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: '  {bar} {percentage}% | {value}/{total} MB', hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.ceil(event.total / 1e6), 0);
      }
      bar.update(Math.floor(event.done / 1e6));
    } else if (interactive && event.kind === 'sampling') {
      process.stderr.write(`\r  sampling pg_stat_activity ${(event.elapsedMs / 1000).toFixed(0)}/${(event.totalMs / 1000).toFixed(0)} s`);
      if (event.elapsedMs >= event.totalMs) process.stderr.write('\n');
    }
  };
  return { onProgress, stop };
}
