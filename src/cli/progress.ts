/** Progress messages on stderr, so stdout stays clean for --json and pipes. */
import pc from 'picocolors';

export type ProgressFn = (message: string) => void;

export function progressReporter(enabled: boolean): ProgressFn {
  if (!enabled) return () => {};
  const started = performance.now();
  return (message: string) => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(pc.dim(`[${seconds.padStart(5)}s] ${message}\n`));
  };
}
