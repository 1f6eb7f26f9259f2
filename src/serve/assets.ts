/**
 * The files the pages load from this server (never a CDN): the report's browser libraries
 * (Chart.js, sortable-tablesort, read from their packages as the report reads them) and
 * the dashboard's own script and style, files next to this module (copied to dist/ by
 * scripts/copy-assets.mjs).
 */
import { readFileSync } from 'node:fs';
import { loadHtmlAssets } from '../report/assets.js';

export interface Asset {
  readonly type: string;
  readonly body: string;
}

export function loadAssets(): ReadonlyMap<string, Asset> {
  const lib = loadHtmlAssets();
  const own = (file: string) => readFileSync(new URL(`./assets/${file}`, import.meta.url), 'utf8');
  const js = 'text/javascript; charset=utf-8';
  const css = 'text/css; charset=utf-8';
  return new Map([
    ['chart.umd.min.js', { type: js, body: lib.chartJs }],
    ['sortable.min.js', { type: js, body: lib.sortableJs }],
    ['sortable.min.css', { type: css, body: lib.sortableCss }],
    ['app.js', { type: js, body: own('app.js') }],
    ['app.css', { type: css, body: own('app.css') }],
  ]);
}
