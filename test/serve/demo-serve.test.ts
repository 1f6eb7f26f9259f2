/**
 * `indexwise demo --serve`, the real CLI at the demo's smallest useful settings (scale 0.01, no
 * measured runs): it tells the dashboard's URL, the Overview and the Indexes pages answer with
 * the demo's tables, and on SIGINT it stops with exit 0 and removes the temporary directory the
 * served demo was kept in (the child's TMPDIR is this test's own, so nothing else is counted).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const TABLES = ['branches', 'client_apps', 'conversations', 'document_chunks', 'documents', 'groves', 'messages', 'tenants', 'users'];
const tmp = tempDir('demo-serve');
let started: ReturnType<typeof startCli> | undefined;

afterAll(async () => {
  if (started !== undefined && started.child.exitCode === null) started.child.kill('SIGKILL');
  await started?.done;
});

/** The URL the demo prints once its dashboard listens. */
function servedUrl(started: ReturnType<typeof startCli>): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const look = (chunk: Buffer) => {
      out += String(chunk);
      const found = /indexwise serve: the demo at (http:\/\/127\.0\.0\.1:\d+\/) \(Ctrl-C to stop\)/.exec(out);
      if (found) {
        started.child.stdout?.off('data', look);
        resolve(found[1] as string);
      }
    };
    started.child.stdout?.on('data', look);
    void started.done.then((r) => reject(new Error(`demo --serve exited (${r.code}) before serving:\n${r.stderr}`)));
  });
}

describe('demo --serve', () => {
  it('serves the demo app until SIGINT, then exits 0 and leaves no temporary directory', async () => {
    started = startCli(
      ['demo', '--serve', '--scale', '0.01', '--runs', '0', '--quiet', '--port', '0', '--report', join(tmp, 'report.html')],
      { env: { TMPDIR: tmp }, timeoutMs: 170_000 },
    );
    const url = await servedUrl(started);
    // while serving, the demo lives in its own temporary directory
    expect(readdirSync(tmp).filter((name) => name.startsWith('indexwise-demo-'))).toHaveLength(1);

    const overview = await fetch(url);
    expect(overview.status).toBe(200);
    const overviewHtml = await overview.text();
    expect(overviewHtml).toContain('<h1>Overview</h1>');
    // the demo's workload file names its queries
    expect(overviewHtml).toContain('messages_of_conversation');
    const indexes = await fetch(new URL('/indexes', url));
    expect(indexes.status).toBe(200);
    const indexesHtml = await indexes.text();
    for (const table of TABLES) expect(indexesHtml, table).toContain(`public.${table}`);

    started.child.kill('SIGINT');
    const result = await started.done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readdirSync(tmp).filter((name) => name.startsWith('indexwise-demo-'))).toEqual([]);
  });
});
