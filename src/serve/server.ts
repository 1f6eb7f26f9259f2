/**
 * `indexwise serve`: the dashboard's HTTP server, on Hono (routing, auth and security-header
 * middleware) and @hono/node-server. Pages are rendered on the server from the library's own
 * functions; app.js adds sorting, charts, copy buttons and job progress.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { oneLine } from '../errors.js';
import { InputError } from '../errors.js';
import { adviseJob, applyJob, snapshotNow, trialJob } from './actions.js';
import { loadAssets } from './assets.js';
import type { ServedDatabase } from './database.js';
import { html, type Safe } from './html.js';
import { Jobs } from './jobs.js';
import { layout } from './layout.js';
import { formatsFor, isFormat, renderMigration } from './migration.js';
import { advicePage } from './pages/advice.js';
import { healthPage } from './pages/health.js';
import { historyPage } from './pages/history.js';
import { indexesPage, indexPage } from './pages/indexes.js';
import { overviewPage } from './pages/overview.js';
import { explainQuery, queriesPage, queryPage } from './pages/queries.js';
import { type Auth, authGuard, checkExposure, csrfGuard, hostGuard, strictHeaders } from './security.js';

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly auth: Auth | null;
  readonly allowApply: boolean;
  /** Take a monitor snapshot this often while serving. */
  readonly snapshotEveryMs: number | null;
  readonly onError?: (message: string) => void;
}

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/** A route parameter (always present on the routes that read one). */
const param = (c: Context, name: string): string => c.req.param(name) ?? '';

export function buildApp(db: ServedDatabase, options: ServeOptions, port: () => number): Hono {
  const csrf = randomBytes(24).toString('base64url');
  const jobs = new Jobs();
  const assets = loadAssets();
  const frame = { target: db.target, csrf, allowApply: options.allowApply };
  let trial: string | null = null;
  const app = new Hono();
  app.use('*', strictHeaders());
  app.use('*', hostGuard(options.auth, port));
  app.use('*', authGuard(options.auth));
  app.use('*', csrfGuard(csrf));

  const page = (path: string, title: string, body: (c: Context) => Promise<Safe | null> | Safe | null) =>
    app.get(path, async (c) => {
      const content = await body(c);
      if (content === null) return c.html(layout(frame, path, 'Not found', html`<p>Nothing here.</p>`), 404);
      return c.html(layout(frame, path, title, content));
    });

  app.get('/assets/:file', (c) => {
    const asset = assets.get(param(c, 'file'));
    if (asset === undefined) return c.text('not found', 404);
    return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' });
  });
  page('/', 'Overview', () => db.read(() => overviewPage(db)));
  page('/queries', 'Queries', () => db.read(() => queriesPage(db)));
  page('/queries/:fingerprint', 'Query', (c) => db.read(() => queryPage(db, param(c, 'fingerprint'))));
  page('/indexes', 'Indexes', () => db.read(() => indexesPage(db)));
  page('/indexes/:schema/:name', 'Index', (c) => db.read(() => indexPage(db, param(c, 'schema'), param(c, 'name'))));
  page('/health', 'Health', () => db.read(() => healthPage(db)));
  page(
    '/advice',
    'Advice',
    () => html`${advicePage(db, jobs, options.allowApply)}${trial ? html`<p class="note" id="trial-result">Trial: ${trial}</p>` : ''}`,
  );
  page('/history', 'History', () => db.read(() => historyPage(db, options.snapshotEveryMs)));

  page('/advice/migration/:format', 'Migration', (c) => {
    const format = param(c, 'format');
    if (db.advice === null || !isFormat(format) || !formatsFor(db.info.family).includes(format)) return null;
    const output = renderMigration(db.advice, db.info.family, format, new Date());
    return html`<p>
        The advice as a <strong>${format}</strong> migration (as <code>indexwise migrate --format ${format}</code> writes it):
      </p>
      ${output.files.map(
        (f, i) =>
          html`<h2><a href="/advice/migration/${format}/${i}" download class="download">${f.path}</a></h2>
            <pre class="sql">${f.contents}</pre>`,
      )}
      ${
        output.printed
          ? html`<h2>For your schema</h2>
              <pre>${output.printed}</pre>`
          : ''
      }${output.notes.map((n) => html`<p class="note">${n}</p>`)}`;
  });
  app.get('/advice/migration/:format/:n', (c) => {
    const format = param(c, 'format');
    if (db.advice === null || !isFormat(format) || !formatsFor(db.info.family).includes(format)) return c.text('not found', 404);
    const file = renderMigration(db.advice, db.info.family, format, new Date()).files[Number(param(c, 'n'))];
    if (file === undefined) return c.text('not found', 404);
    const name = file.path.split('/').pop() ?? 'migration';
    return c.body(file.contents, 200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`,
    });
  });

  app.get('/api/jobs/:id', (c) => {
    const job = jobs.get(param(c, 'id'));
    return job === undefined ? c.json({ error: 'no such job' }, 404) : c.json(job);
  });
  app.get('/api/queries/:fingerprint/explain', async (c) => {
    const view = await db.read(() => explainQuery(db, param(c, 'fingerprint')));
    return view === null ? c.json({ error: 'no such query' }, 404) : c.json(view);
  });
  app.post('/api/advise', (c) => {
    const busy = jobs.running('advise') ?? jobs.running('apply');
    if (busy) return c.json(busy, 409);
    return c.json(
      jobs.start('advise', '/advice', (job) => adviseJob(db, job)),
      202,
    );
  });
  app.post('/api/trial', (c) => {
    if (!db.info.capabilities.isolatedWrites) return c.json({ error: 'a trial writes (rolled back): not on a shared server' }, 403);
    return c.json(
      jobs.start('trial', '/advice', async (job) => {
        const comparison = await trialJob(db, job);
        const s = comparison.workload;
        trial = `workload ${s.beforeMs.toFixed(1)} ms → ${s.afterMs.toFixed(1)} ms${s.speedup === null ? '' : `, ×${s.speedup.toFixed(2)}`}`;
      }),
      202,
    );
  });
  app.post('/api/apply', async (c) => {
    if (!options.allowApply) return c.json({ error: 'serve was started without --allow-apply: it changes nothing' }, 403);
    const body: unknown = await c.req.json().catch(() => null);
    const names = (body as { indexes?: unknown } | null)?.indexes;
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string'))
      return c.json({ error: 'expected { "indexes": [names] }' }, 400);
    const busy = jobs.running('advise') ?? jobs.running('apply');
    if (busy) return c.json(busy, 409);
    return c.json(
      jobs.start('apply', '/indexes', async (job) => {
        await applyJob(db, names as string[], job);
      }),
      202,
    );
  });
  app.post('/api/snapshot', async (c) => {
    await snapshotNow(db);
    return c.json({ ok: true });
  });

  app.notFound((c) => c.html(layout(frame, '', 'Not found', html`<p>Nothing here.</p>`), 404));
  app.onError((error, c) => {
    // the auth middleware's 401 (with its WWW-Authenticate challenge)
    if (error instanceof HTTPException) return error.getResponse();
    const message = oneLine(error);
    if (!(error instanceof InputError)) options.onError?.(message);
    const status = error instanceof InputError ? 400 : 500;
    if (c.req.path.startsWith('/api/')) return c.json({ error: message }, status);
    return c.html(layout(frame, '', 'Error', html`<p class="note">${message}</p>`), status);
  });
  return app;
}

/** Starts listening; refuses a host other machines can reach unless auth is set. */
export async function startServer(db: ServedDatabase, options: ServeOptions): Promise<RunningServer> {
  checkExposure(options.host, options.auth);
  let port = options.port;
  const app = buildApp(db, options, () => port);
  const { server, address } = await new Promise<{ server: ReturnType<typeof serve>; address: AddressInfo }>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, (address) => resolve({ server, address }));
    server.once('error', reject);
  });
  port = address.port;
  const timer =
    options.snapshotEveryMs === null
      ? null
      : setInterval(
          () => snapshotNow(db).catch((error: unknown) => options.onError?.(`snapshot: ${oneLine(error)}`)),
          options.snapshotEveryMs,
        );
  timer?.unref();
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    close: async () => {
      if (timer) clearInterval(timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // a browser's keep-alive connections would hold close() open
      if ('closeAllConnections' in server) server.closeAllConnections();
      await closed;
    },
  };
}
