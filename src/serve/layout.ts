/** The page frame: header with the database (password-free), navigation, the CSRF token for app.js. */
import { VERSION } from '../version.js';
import { html, type Safe } from './html.js';

export const PAGES = [
  { path: '/', title: 'Overview' },
  { path: '/queries', title: 'Queries' },
  { path: '/indexes', title: 'Indexes' },
  { path: '/health', title: 'Health' },
  { path: '/advice', title: 'Advice' },
  { path: '/history', title: 'History' },
] as const;

export interface Frame {
  readonly target: string;
  readonly csrf: string;
  readonly allowApply: boolean;
}

export function layout(frame: Frame, current: string, title: string, body: Safe): string {
  const nav = PAGES.map(
    (p) => html`<a href="${p.path}" ${p.path === current ? html` aria-current="page" class="current"` : ''}>${p.title}</a>`,
  );
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content="${frame.csrf}" />
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
          <span class="db" title="database">${frame.target}</span
          >${frame.allowApply ? html` <span class="badge write">apply allowed</span>` : ''}
          <nav>${nav}</nav>
        </header>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
        <footer>indexwise ${VERSION} · the same library the CLI runs</footer>
      </body>
    </html>`.text;
}
