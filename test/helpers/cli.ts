/**
 * Runs the real CLI in a child process: the built one (bin/indexwise.js over dist/, as a
 * user runs it, about 0.7 s to start) when dist/ is newer than every file in src/ — the
 * test command builds first — and otherwise the sources through tsx (about 2.5 s).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function newestModification(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestModification(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function cliEntry(): readonly string[] {
  const built = join(ROOT, 'dist');
  if (existsSync(built) && newestModification(built) >= newestModification(join(ROOT, 'src'))) return ['bin/indexwise.js'];
  return ['--import', 'tsx', 'src/cli/main.ts'];
}

let entry: readonly string[] | undefined;

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Starts the CLI and returns at once: the child (to send it signals) and its result. */
export function startCli(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {},
): { child: ChildProcess; done: Promise<CliResult> } {
  entry ??= cliEntry();
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(options.input ?? '');
  });
  return { child, done };
}

export const PROJECT_ROOT = ROOT;
