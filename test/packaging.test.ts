/** The installed launcher works: `npx indexwise --help` after `npm install` (which builds dist/). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers/cli.js';

const built = existsSync(join(PROJECT_ROOT, 'dist', 'cli', 'main.js'));

describe.skipIf(!built && !process.env.CI)('bin/indexwise.js', () => {
  it('prints help and exits 0', () => {
    const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'indexwise.js'), '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: indexwise/);
    expect(result.stdout).toMatch(/demo/);
  });

  it('exports the library API from dist', async () => {
    const api = await import(join(PROJECT_ROOT, 'dist', 'index.js'));
    expect(typeof api.connect).toBe('function');
    expect(typeof api.parseConnectionString).toBe('function');
  });
});
