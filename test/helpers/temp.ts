/**
 * Temporary directories for tests: tempDir() makes one (under the system temp dir unless
 * told otherwise), and
 * the setup file (test/helpers/cleanup.ts) removes every one a test file made when the
 * file is done.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A new directory named after `label`, in `base` (default: the system temp dir). */
export function tempDir(label: string, base = tmpdir()): string {
  const dir = mkdtempSync(join(base, `ix-${label}-`));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
