/**
 * One database's pages and API as a Hono app with routes from the root ('/queries',
 * '/api/advise', …): the server mounts it at the root, or (a fleet) under the member's
 * prefix, its links written through `links`. Its jobs are the database's own (`db.jobs`): a
 * job started on one member shows on that member's Advice page only.
 */
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { InputError, oneLine } from '../errors.js';
import { adviseJob, applyJob, snapshotNow, trialJob } from './actions.js';
import type { ServedDatabase } from './database.js';
import { html, type Safe } from './html.js';
import { type Frame, layout } from './layout.js';
import { formatsFor, isFormat, renderMigration } from './migration.js';
import { advicePage } from './pages/advice.js';
import { healthPage } from './pages/health.js';
import { historyPage } from './pages/history.js';
import { indexesPage, indexPage } from './pages/indexes.js';
import { overviewPage } from './pages/overview.js';
import { explainQuery, queriesPage, queryPage } from './pages/queries.js';

export interface DatabaseAppOptions {
  readonly allowApply: boolean;
  readonly snapshotEveryMs: number | null;
  readonly onError?: (message: string) => void;
}

/** A route parameter (always present on the routes that read one). */
const param = (c: Context, name: string): string => c.req.param(name) ?? '';

/** `frame.links` must be set: where this database's URLs start. */
export function databaseApp(
  db: ServedDatabase,
  frame: Frame & { readonly links: NonNullable<Frame['links']> },
  options: DatabaseAppOptions,
): Hono {
  const { links } = frame;
  const { jobs } = db;
  let trial: string | null = null;
  const app = new Hono();

  const page = (path: string, title: string, body: (c: Context) => Promise<Safe | null> | Safe | null) =>
    app.get(path, async (c) => {
      const content = await body(c);
      if (content === null) return c.html(layout(frame, path, 'Not found', html`<p>Nothing here.</p>`), 404);
      return c.html(layout(frame, path, title, content));
    });

  page('/', 'Overview', () => db.read(() => overviewPage(db, links)));
  page('/queries', 'Queries', () => db.read(() => queriesPage(db, links)));
  page('/queries/:fingerprint', 'Query', (c) => db.read(() => queryPage(db, links, param(c, 'fingerprint'))));
  page('/indexes', 'Indexes', () => db.read(() => indexesPage(db, links)));
  page('/indexes/:schema/:name', 'Index', (c) => db.read(() => indexPage(db, param(c, 'schema'), param(c, 'name'))));
  page('/health', 'Health', () => db.read(() => healthPage(db)));
  page(
    '/advice',
    'Advice',
    () =>
      html`${advicePage(db, links, jobs, options.allowApply)}${trial ? html`<p class="note" id="trial-result">Trial: ${trial}</p>` : ''}`,
  );
  page('/history', 'History', () => db.read(() => historyPage(db, links, options.snapshotEveryMs)));

  page('/advice/migration/:format', 'Migration', (c) => {
    const format = param(c, 'format');
    if (db.advice === null || !isFormat(format) || !formatsFor(db.info.family).includes(format)) return null;
    const output = renderMigration(db.advice, db.info.family, format, new Date());
    return html`<p>
        The advice as a <strong>${format}</strong> migration (as <code>indexwise migrate --format ${format}</code> writes it):
      </p>
      ${output.files.map(
        (f, i) =>
          html`<h2><a href="${links.to(`/advice/migration/${format}/${i}`)}" download class="download">${f.path}</a></h2>
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
      jobs.start('advise', links.to('/advice'), (job) => adviseJob(db, job)),
      202,
    );
  });
  app.post('/api/trial', (c) => {
    if (!db.info.capabilities.isolatedWrites) return c.json({ error: 'a trial writes (rolled back): not on a shared server' }, 403);
    return c.json(
      jobs.start('trial', links.to('/advice'), async (job) => {
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
      jobs.start('apply', links.to('/indexes'), async (job) => {
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
    if (error instanceof HTTPException) return error.getResponse();
    const message = oneLine(error);
    if (!(error instanceof InputError)) options.onError?.(message);
    const status = error instanceof InputError ? 400 : 500;
    if (c.req.path.startsWith('/api/')) return c.json({ error: message }, status);
    return c.html(layout(frame, '', 'Error', html`<p class="note">${message}</p>`), status);
  });
  return app;
}
