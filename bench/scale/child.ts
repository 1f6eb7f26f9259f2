/**
 * Runs one AdviseJob in a child process (advise-child.ts, through tsx) and waits for it
 * at most `maxSeconds`: a run still going then is killed (its own process only) and
 * reported as not finished, with the last progress it sent and its peak memory so far.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AdviseJob, AdvisorRun, ChildMessage } from './types.js';

const CHILD = fileURLToPath(new URL('./advise-child.ts', import.meta.url));

/**
 * @param checkout another checkout of indexwise whose bench/scale/advise-child.ts runs the job
 *   instead (--baseline): the same measurement of another version, on the same database
 */
export function runInChild(
  job: AdviseJob,
  maxSeconds: number | null,
  onProgress: (message: string) => void,
  checkout?: string,
): Promise<AdvisorRun> {
  return new Promise((resolve) => {
    const script = checkout === undefined ? CHILD : join(checkout, 'bench', 'scale', 'advise-child.ts');
    const child = fork(script, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      ...(checkout === undefined ? {} : { cwd: checkout }),
    });
    let lastProgress: string | null = null;
    let peakRssMb: number | null = null;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const base = { advisor: job.advisor, lastProgress: null, peakRssMb: null, maxSeconds: null, error: null, measurement: null };
    const finish = (run: Partial<AdvisorRun> & Pick<AdvisorRun, 'status'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...base, lastProgress, peakRssMb, ...run });
    };
    if (maxSeconds !== null) {
      timer = setTimeout(() => {
        finish({ status: 'timeout', maxSeconds });
        child.kill('SIGKILL');
      }, maxSeconds * 1000);
    }
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'progress' || message.type === 'memory') peakRssMb = Math.max(peakRssMb ?? 0, message.peakRssMb);
      if (message.type === 'progress') {
        lastProgress = message.message;
        onProgress(message.message);
      } else if (message.type === 'done') {
        peakRssMb = Math.max(peakRssMb ?? 0, message.measurement.peakRssMb);
        finish({ status: 'finished', measurement: message.measurement });
      } else if (message.type === 'failed') {
        finish({ status: 'failed', error: message.error });
      }
    });
    child.on('error', (error) => finish({ status: 'failed', error: error.message }));
    child.on('exit', (code, signal) =>
      finish({ status: 'failed', error: `the child process exited (${signal ?? `code ${code}`}) without a result` }),
    );
    child.send(job);
  });
}
