/**
 * The dashboard on a PGlite directory, over HTTP without a browser (the browser tests run on
 * SQLite and PostgreSQL): the pages render the directory's tables and indexes, and an advise
 * job runs to its recommendations with PGlite's what-if (indexes built in a rolled-back
 * transaction) — after which the directory holds no index it did not hold before.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/engines/connect.js';
import { type Dashboard, serveDashboard } from '../../src/serve/dashboard.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('serve-pglite');
const dataDir = join(dir, 'db');
let dashboard: Dashboard;

async function indexNames(): Promise<string[]> {
  const engine = await connect(`pglite:${dataDir}`);
  try {
    return (await engine.query<{ n: string }>("SELECT indexname AS n FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1")).map(
      (r) => r.n,
    );
  } finally {
    await engine.close();
  }
}

beforeAll(async () => {
  const engine = await connect(`pglite:${dataDir}`, { create: true });
  await engine.query('CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, total numeric NOT NULL)');
  await engine.query(
    "INSERT INTO orders SELECT g, g % 2000, CASE WHEN g % 10 = 0 THEN 'open' ELSE 'done' END, g % 97 FROM generate_series(1, 40000) g",
  );
  await engine.query('CREATE INDEX orders_status ON orders (status)');
  await engine.query('ANALYZE orders');
  await engine.close();
  writeFileSync(join(dir, 'workload.sql'), '-- name: orders_of_customer\nSELECT id, total FROM orders WHERE customer_id = 42;\n');
  dashboard = await serveDashboard({ db: `pglite:${dataDir}`, sources: [{ kind: 'sql', path: join(dir, 'workload.sql') }], port: 0 });
});
afterAll(async () => dashboard?.close());

describe('serve on a PGlite directory', () => {
  it('renders every page with the directory’s tables and indexes', async () => {
    for (const path of ['/', '/queries', '/indexes', '/health', '/advice', '/history']) {
      const response = await fetch(new URL(path, dashboard.url));
      expect(response.status, path).toBe(200);
      const text = await response.text();
      expect(text, path).toContain('pglite:');
      if (path === '/indexes') expect(text).toContain('orders_status');
      if (path === '/queries') expect(text).toContain('orders_of_customer');
    }
  });

  it('runs advise as a job: customer_id is recommended, and nothing is left built', async () => {
    const before = await (await fetch(new URL('/advice', dashboard.url))).text();
    const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(before)?.[1] ?? '';
    expect(csrf).not.toBe('');
    const started = await fetch(new URL('/api/advise', dashboard.url), {
      method: 'POST',
      headers: { 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    let job: { state: string; log: string[]; error: string | null };
    for (;;) {
      job = await (await fetch(new URL(`/api/jobs/${id}`, dashboard.url))).json();
      if (job.state !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(job.error).toBeNull();
    expect(job.state).toBe('done');
    const advice = await (await fetch(new URL('/advice', dashboard.url))).text();
    const table = /id="recommendations"[\s\S]*?<\/table>/.exec(advice)?.[0] ?? '';
    expect(table).toMatch(/orders[\s\S]*customer_id/);
    await dashboard.close();
    expect(await indexNames()).toEqual(['orders_pkey', 'orders_status']);
  });
});
