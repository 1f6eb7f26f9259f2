/**
 * The page frame: header with the database (password-free), the fleet's database picker,
 * navigation, and for app.js the CSRF token and the base path of the database's URLs.
 */
import { VERSION } from '../version.js';
import { html, type Safe } from './html.js';
import type { Links } from './links.js';
import { type Picker, picker } from './picker.js';

export const PAGES = [
  { path: '/', title: 'Overview' },
  { path: '/queries', title: 'Queries' },
  { path: '/indexes', title: 'Indexes' },
  { path: '/health', title: 'Health' },
  { path: '/advice', title: 'Advice' },
  { path: '/history', title: 'History' },
] as const;

export interface Frame {
  /** The database shown, password-free; null on the fleet's home page. */
  readonly target: string | null;
  readonly csrf: string;
  readonly allowApply: boolean;
  /** The shown database's URLs; null on the fleet's home page (no database, no navigation). */
  readonly links: Links | null;
  /** Serving a fleet: its members, the shown one chosen. */
  readonly picker: Picker | null;
}

function navigation(links: Links, current: string): Safe {
  return html`<nav>
    ${PAGES.map(
      (p) => html`<a href="${links.to(p.path)}" ${p.path === current ? html` aria-current="page" class="current"` : ''}>${p.title}</a>`,
    )}
  </nav>`;
}

/** `current`: the route of the page shown ('/indexes/:schema/:name'), '' for none. */
export function layout(frame: Frame, current: string, title: string, body: Safe): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content="${frame.csrf}" />
        <meta name="indexwise-base" content="${frame.links?.base ?? ''}" />
        <link rel="icon" href="data:," />
        <title>${title} · indexwise</title>
        <link rel="stylesheet" href="/assets/sortable.min.css" />
        <link rel="stylesheet" href="/assets/app.css" />
        ${body.text.includes('data-chart=') ? html`<script src="/assets/chart.umd.min.js" defer></script>` : ''}
        <script src="/assets/sortable.min.js" defer></script>
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <header>
          <strong>indexwise</strong>
          ${frame.picker ? picker(frame.picker, current) : ''}
          ${frame.target === null ? '' : html`<span class="db" title="database">${frame.target}</span>`}${
            frame.allowApply ? html` <span class="badge write">apply allowed</span>` : ''
          }
          ${frame.links ? navigation(frame.links, current) : ''}
        </header>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
        <footer>indexwise ${VERSION} · the same library the CLI runs</footer>
      </body>
    </html>`.text;
}
