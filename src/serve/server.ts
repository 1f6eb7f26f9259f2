/**
 * `indexwise serve`: the dashboard's HTTP server, on Hono (routing, auth and security-header
 * middleware) and @hono/node-server. Pages are rendered on the server from the library's own
 * functions; app.js adds sorting, charts, copy buttons and job progress. One database is
 * served at the root; a fleet's members each under /db/<name>/, with a home page at the root.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { InputError, oneLine } from '../errors.js';
import { snapshotNow } from './actions.js';
import { loadAssets } from './assets.js';
import { databaseApp } from './database-app.js';
import type { ServedDatabase } from './database.js';
import type { ServedFleet } from './fleet.js';
import { html } from './html.js';
import { type Frame, layout, PAGES } from './layout.js';
import { Links, memberName } from './links.js';
import { fleetHomePage, memberTarget } from './pages/fleet-home.js';
import { switchTarget } from './picker.js';
import { type Auth, authGuard, checkExposure, csrfGuard, hostGuard, strictHeaders } from './security.js';

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly auth: Auth | null;
  readonly allowApply: boolean;
  /** Take a monitor snapshot this often while serving (one database only). */
  readonly snapshotEveryMs: number | null;
  readonly onError?: (message: string) => void;
}

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The guards every request passes (headers, Host, auth, CSRF on anything but GET) and the static files. */
function guardedApp(options: ServeOptions, port: () => number, csrf: string): Hono {
  const assets = loadAssets();
  const app = new Hono();
  app.use('*', strictHeaders());
  app.use('*', hostGuard(options.auth, port));
  app.use('*', authGuard(options.auth));
  app.use('*', csrfGuard(csrf));
  app.get('/assets/:file', (c) => {
    const asset = assets.get(c.req.param('file'));
    if (asset === undefined) return c.text('not found', 404);
    return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' });
  });
  return app;
}

/** The request as the database's own app sees it: the same, at `path` (its prefix taken off). */
async function at(c: Context, path: string): Promise<Request> {
  const url = new URL(c.req.url);
  url.pathname = path;
  const { method, headers } = c.req.raw;
  const body = method === 'GET' || method === 'HEAD' ? undefined : await c.req.raw.arrayBuffer();
  return new Request(url, { method, headers, body });
}

export function buildApp(db: ServedDatabase, options: ServeOptions, port: () => number): Hono {
  const csrf = randomBytes(24).toString('base64url');
  const app = guardedApp(options, port, csrf);
  const frame = { target: db.target, csrf, allowApply: options.allowApply, links: Links.root, picker: null };
  const own = databaseApp(db, frame, options);
  app.all('*', (c) => own.fetch(c.req.raw));
  return app;
}

/** A fleet: the home page, the picker's /switch, and each member's app under /db/<name>/, built on its first visit. */
export function buildFleetApp(fleet: ServedFleet, options: ServeOptions, port: () => number): Hono {
  const csrf = randomBytes(24).toString('base64url');
  const app = guardedApp(options, port, csrf);
  const members = fleet.members.map((m) => ({ name: m.name, tags: m.tags }));
  const home: Frame = { target: null, csrf, allowApply: options.allowApply, links: null, picker: { members, current: null } };
  const apps = new WeakMap<ServedDatabase, Hono>();
  const memberFrame = (name: string, target: string) => ({
    target,
    csrf,
    allowApply: options.allowApply,
    links: Links.forMember(name),
    picker: { members, current: name },
  });

  app.get('/', (c) => c.html(layout(home, '/', 'Fleet', fleetHomePage(fleet))));
  app.get('/switch', (c) =>
    c.redirect(
      switchTarget(
        members,
        c.req.query('db'),
        c.req.query('page'),
        PAGES.map((p) => p.path),
      ),
      303,
    ),
  );
  app.all('/db/*', async (c) => {
    // the raw path: a name's own '/' or '%' stays inside its segment
    const match = /^\/db\/([^/]+)(\/.*)?$/.exec(new URL(c.req.url).pathname);
    const name = match?.[1] === undefined ? null : memberName(match[1]);
    const member = name === null ? undefined : fleet.member(name);
    if (match === null || member === undefined) return c.html(layout(home, '', 'Not found', html`<p>No such database.</p>`), 404);
    let db: ServedDatabase;
    try {
      db = await fleet.get(member);
    } catch (error) {
      const message = `cannot open ${member.name}: ${oneLine(error)}`;
      const frame = { ...memberFrame(member.name, memberTarget(member)), links: null };
      return c.html(layout(frame, '', 'Unreachable', html`<p class="note" id="member-error">${message}</p>`), 502);
    }
    let own = apps.get(db);
    if (own === undefined) {
      // a server-side error names the member it happened on
      const onError = (message: string) => options.onError?.(`${member.name}: ${message}`);
      own = databaseApp(db, memberFrame(member.name, db.target), { ...options, onError });
      apps.set(db, own);
    }
    return own.fetch(await at(c, match[2] ?? '/'));
  });
  app.notFound((c) => c.html(layout(home, '', 'Not found', html`<p>Nothing here.</p>`), 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    const message = oneLine(error);
    if (!(error instanceof InputError)) options.onError?.(message);
    return c.html(layout(home, '', 'Error', html`<p class="note">${message}</p>`), error instanceof InputError ? 400 : 500);
  });
  return app;
}

/** Starts listening on the app `build` makes (told the port once known); refuses a host other machines can reach unless auth is set. */
export async function listen(build: (port: () => number) => Hono, options: ServeOptions): Promise<RunningServer> {
  checkExposure(options.host, options.auth);
  let port = options.port;
  const app = build(() => port);
  const { server, address } = await new Promise<{ server: ReturnType<typeof serve>; address: AddressInfo }>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, (address) => resolve({ server, address }));
    server.once('error', reject);
  });
  port = address.port;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // a browser's keep-alive connections would hold close() open
      if ('closeAllConnections' in server) server.closeAllConnections();
      await closed;
    },
  };
}

/** One database at the root, with monitor snapshots every `snapshotEveryMs` if set. */
export async function startServer(db: ServedDatabase, options: ServeOptions): Promise<RunningServer> {
  const running = await listen((port) => buildApp(db, options, port), options);
  const timer =
    options.snapshotEveryMs === null
      ? null
      : setInterval(
          () => snapshotNow(db).catch((error: unknown) => options.onError?.(`snapshot: ${oneLine(error)}`)),
          options.snapshotEveryMs,
        );
  timer?.unref();
  return {
    url: running.url,
    close: async () => {
      if (timer) clearInterval(timer);
      await running.close();
    },
  };
}
