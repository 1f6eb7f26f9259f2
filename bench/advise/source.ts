/**
 * Which advisor was measured: the commit, and a hash of src/advisor/ as it was on
 * disk (the working tree may hold changes not yet committed).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ADVISOR = join(ROOT, 'src', 'advisor');

export interface SourceState {
  readonly commit: string;
  /** Files under src/ that differ from the commit. */
  readonly changedSourceFiles: readonly string[];
  /** sha1 of src/advisor/*.ts, first 12 hex digits. */
  readonly advisorHash: string;
}

async function git(args: readonly string[]): Promise<string> {
  try {
    // trimEnd only: porcelain lines start with a status column that may be a space
    return (await run('git', ['-C', ROOT, ...args])).stdout.trimEnd();
  } catch {
    return '';
  }
}

export async function sourceState(): Promise<SourceState> {
  const hash = createHash('sha1');
  for (const file of (await readdir(ADVISOR)).filter((f) => f.endsWith('.ts')).sort()) {
    hash.update(file).update(await readFile(join(ADVISOR, file)));
  }
  const changed = await git(['--no-optional-locks', 'status', '--porcelain', '--', 'src']);
  return {
    commit: (await git(['rev-parse', '--short', 'HEAD'])) || 'unknown',
    changedSourceFiles: changed === '' ? [] : changed.split('\n').map((line) => line.slice(3)),
    advisorHash: hash.digest('hex').slice(0, 12),
  };
}
