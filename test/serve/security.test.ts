/**
 * The dashboard's guards, without a browser: a host other machines can reach is refused
 * without --auth (exit 2, one line, before the database is opened); a wrong token is 401;
 * basic auth; credentials come from the environment only; the Content-Security-Policy.
 */
import http from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, serveDashboard } from '../../src/serve/dashboard.js';
import { readAuth } from '../../src/serve/security.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const TOKEN = 'a-token-of-enough-length-0123';
const dir = tempDir('serve-security');
const file = join(dir, 'app.db');
let dashboard: Dashboard;

beforeAll(async () => {
  const sqlite = new Database(file);
  sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER); CREATE INDEX t_k ON t (k);');
  sqlite.close();
  dashboard = await serveDashboard({ db: `sqlite:${file}`, port: 0, auth: { kind: 'token', token: TOKEN } });
});
afterAll(async () => dashboard?.close());

describe('serve security', () => {
  it('refuses a non-loopback host without --auth: exit 2, one line, nothing opened', async () => {
    const result = await runCli(['serve', '--db', 'postgres://u:secret@203.0.113.1:1/x', '--host', '0.0.0.0', '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'indexwise: --host 0.0.0.0 is reachable from other machines: pass --auth token or --auth basic (credentials from the environment)\n',
    );
    expect(result.stdout).toBe('');
  });

  it('--auth reads its credentials from the environment only, and refuses missing ones', () => {
    expect(readAuth('token', { INDEXWISE_SERVE_TOKEN: TOKEN })).toEqual({ kind: 'token', token: TOKEN });
    expect(() => readAuth('token', {})).toThrow(/^--auth token reads the token from INDEXWISE_SERVE_TOKEN: set it/);
    expect(() => readAuth('token', { INDEXWISE_SERVE_TOKEN: 'short' })).toThrow(/16 characters or more/);
    expect(() => readAuth('basic', { INDEXWISE_SERVE_USER: 'ops' })).toThrow(/INDEXWISE_SERVE_PASSWORD/);
    expect(readAuth(undefined, { INDEXWISE_SERVE_TOKEN: TOKEN })).toBeNull();
  });

  it('a wrong or missing token is 401; the right one (header, or the cookie /login sets) is let in', async () => {
    const url = (path: string) => new URL(path, dashboard.url);
    expect((await fetch(url('/'))).status).toBe(401);
    expect((await fetch(url('/'), { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
    expect((await fetch(url('/login?token=wrong'), { redirect: 'manual' })).status).toBe(401);
    const ok = await fetch(url('/indexes'), { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('t_k');
    const login = await fetch(url(`/login?token=${TOKEN}`), { redirect: 'manual' });
    expect(login.status).toBe(303);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await fetch(url('/health'), { headers: { cookie } })).status).toBe(200);
  });

  it('sends a strict Content-Security-Policy; a POST without the CSRF token is 403 even when authenticated', async () => {
    const response = await fetch(new URL('/', dashboard.url), { headers: { authorization: `Bearer ${TOKEN}` } });
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await response.text()).not.toMatch(/<script(?![^>]*\bsrc=)(?![^>]*application\/json)[^>]*>/);
    const post = await fetch(new URL('/api/advise', dashboard.url), { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(post.status).toBe(403);
  });

  it('basic auth: the browser prompt, credentials from the environment', async () => {
    const basic = await serveDashboard({ db: `sqlite:${file}`, port: 0, auth: { kind: 'basic', user: 'ops', password: 'pw:with@odd' } });
    try {
      expect((await fetch(basic.url)).status).toBe(401);
      const header = (user: string, pw: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}` });
      expect((await fetch(basic.url, { headers: header('ops', 'nope') })).status).toBe(401);
      expect((await fetch(basic.url, { headers: header('ops', 'pw:with@odd') })).status).toBe(200);
    } finally {
      await basic.close();
    }
  });

  it('without --auth, a request naming another host (DNS rebinding) is refused with 421', async () => {
    const open = await serveDashboard({ db: `sqlite:${file}`, port: 0 });
    try {
      const { port } = new URL(open.url);
      expect(await statusWithHost(open.url, `rebound.example:${port}`)).toBe(421);
      expect(await statusWithHost(open.url, `127.0.0.1:${port}`)).toBe(200);
      expect(await statusWithHost(open.url, `localhost:${port}`)).toBe(200);
    } finally {
      await open.close();
    }
  });
});

/** GET / with a Host header of our choosing (fetch does not let one set it). */
function statusWithHost(url: string, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('error', reject);
  });
}
