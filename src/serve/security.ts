/**
 * The dashboard's guards: who may connect (a token or basic-auth credentials, read from the
 * environment, never from argv), which host it may bind without them (loopback only), a
 * CSRF token on every state-changing request, and a strict Content-Security-Policy.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import { bearerAuth } from 'hono/bearer-auth';
import { getCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';
import { InputError } from '../errors.js';

export const AUTH_KINDS = ['token', 'basic'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

/** The environment variables --auth reads. */
export const AUTH_ENV = { token: 'INDEXWISE_SERVE_TOKEN', user: 'INDEXWISE_SERVE_USER', password: 'INDEXWISE_SERVE_PASSWORD' } as const;

export type Auth =
  { readonly kind: 'token'; readonly token: string } | { readonly kind: 'basic'; readonly user: string; readonly password: string };

const TOKEN_COOKIE = 'indexwise_token';

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The credentials --auth names, from the environment; a missing one is an error. */
export function readAuth(kind: AuthKind | undefined, env: NodeJS.ProcessEnv): Auth | null {
  if (kind === undefined) return null;
  if (kind === 'token') {
    const token = env[AUTH_ENV.token] ?? '';
    if (token.length < 16) throw new InputError(`--auth token reads the token from ${AUTH_ENV.token}: set it (16 characters or more)`);
    return { kind, token };
  }
  const user = env[AUTH_ENV.user] ?? '';
  const password = env[AUTH_ENV.password] ?? '';
  if (user === '' || password === '')
    throw new InputError(`--auth basic reads the credentials from ${AUTH_ENV.user} and ${AUTH_ENV.password}: set both`);
  return { kind, user, password };
}

/** Binding beyond this machine needs --auth: refused otherwise, before anything opens. */
export function checkExposure(host: string, auth: Auth | null): void {
  if (!isLoopback(host) && auth === null)
    throw new InputError(
      `--host ${host} is reachable from other machines: pass --auth token or --auth basic (credentials from the environment)`,
    );
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Token: `Authorization: Bearer …`, or the cookie `/login?token=…` sets (so a browser can
 * follow links). Basic: the browser's own prompt.
 */
export function authGuard(auth: Auth | null): MiddlewareHandler {
  if (auth === null) return async (_c, next) => next();
  if (auth.kind === 'basic') return basicAuth({ username: auth.user, password: auth.password, realm: 'indexwise' });
  const bearer = bearerAuth({ token: auth.token });
  return async (c, next) => {
    const cookie = getCookie(c, TOKEN_COOKIE);
    if (cookie !== undefined && sameSecret(cookie, auth.token)) return next();
    if (c.req.path === '/login') {
      const given = c.req.query('token') ?? '';
      if (!sameSecret(given, auth.token)) return c.text('Unauthorized', 401);
      c.header('Set-Cookie', `${TOKEN_COOKIE}=${encodeURIComponent(given)}; HttpOnly; SameSite=Strict; Path=/`);
      return c.redirect('/', 303);
    }
    return bearer(c, next);
  };
}

/**
 * Without --auth (loopback only), requests must name this machine in their Host header: a web
 * page whose own name was re-pointed at 127.0.0.1 (DNS rebinding) cannot read the dashboard.
 */
export function hostGuard(auth: Auth | null, port: () => number): MiddlewareHandler {
  return async (c, next) => {
    if (auth !== null) return next();
    const host = (c.req.header('host') ?? '').toLowerCase();
    const name = host.replace(/:\d+$/, '');
    if (host.endsWith(`:${port()}`) && (isLoopback(name) || name === '[::1]')) return next();
    return c.text('Misdirected Request: use http://127.0.0.1 or http://localhost', 421);
  };
}

export const CSRF_HEADER = 'x-csrf-token';

/** Every request that could change state (not GET or HEAD) carries the page's CSRF token in a header, which a cross-site form cannot set. */
export function csrfGuard(token: string): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const given = c.req.header(CSRF_HEADER) ?? '';
    if (!sameSecret(given, token)) return c.json({ error: 'missing or wrong CSRF token' }, 403);
    return next();
  };
}

/** Scripts, styles, images and connections from this server only; no inline script or style, no frames. */
export function strictHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    crossOriginResourcePolicy: 'same-origin',
  });
}
