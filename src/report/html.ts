/**
 * The report document as one self-contained HTML file: no network, the charting
 * library (Chart.js) and the table sorter (sortable-tablesort) inlined. Pure: the
 * assets come in as text.
 */
import { type Block, type Cell, type ChartSpec, type Document } from './document.js';

export interface HtmlAssets {
  readonly chartJs: string;
  readonly sortableJs: string;
  readonly sortableCss: string;
}

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** Escapes text and turns `code` spans into <code>, **bold** into <strong>. */
function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

function cell(c: Cell, tag: 'td'): string {
  if (typeof c === 'string') return `<${tag}>${inline(c)}</${tag}>`;
  const sort = c.sort === undefined ? '' : ` data-sort="${c.sort}"`;
  return `<${tag}${sort}>${inline(c.text)}</${tag}>`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}>${inline(b.text)}</h${b.level}>`;
    case 'paragraph':
      return `<p>${inline(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${inline(i)}</li>`).join('')}</ul>`;
    case 'code':
      return `<pre><code>${escapeHtml(b.text)}</code></pre>`;
    case 'chart':
      return `<figure class="chart"><figcaption>${inline(b.chart.title)}</figcaption><div class="chart-box"><canvas id="${escapeHtml(b.chart.id)}"></canvas></div></figure>`;
    case 'table': {
      if (b.rows.length === 0) return '<p class="none">(none)</p>';
      const head = `<thead><tr>${b.columns.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead>`;
      const body = `<tbody>${b.rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('')}</tbody>`;
      return `<table class="sortable">${head}${body}</table>`;
    }
  }
}

const SCRIPT_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * JSON inside a <script>: no `<` at all, so neither `</script` nor `<!--` (which makes the
 * HTML parser look for `-->` and turns a later `</script>` into text) can appear; the
 * escapes are JSON's own, so JSON.parse reads the text unchanged. U+2028/2029 too, for
 * readers that take the text as JavaScript.
 */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => SCRIPT_ESCAPES[c] ?? c);
}

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; max-width: 1100px; margin: 2rem auto; padding: 0 1rem; color: #1d2330; }
h1 { border-bottom: 2px solid #2d6cdf; padding-bottom: .3rem; } h2 { margin-top: 2.2rem; color: #2d6cdf; }
code { background: #f1f3f7; padding: 0 .25em; border-radius: 3px; font-size: 90%; }
pre { background: #f6f8fa; padding: .8rem; overflow-x: auto; border-radius: 4px; }
table { border-collapse: collapse; margin: .8rem 0; font-size: 14px; width: 100%; }
th, td { border-bottom: 1px solid #dde2ea; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f1f3f7; cursor: pointer; }
figure.chart { margin: 1.2rem 0; } .chart-box { position: relative; height: 340px; }
figcaption { font-weight: 600; margin-bottom: .4rem; } .none { color: #6b7280; }`;

export function renderHtml(document: Document, title: string, assets: HtmlAssets): string {
  const charts: ChartSpec[] = document.flatMap((b) => (b.kind === 'chart' ? [b.chart] : []));
  const start = `window.addEventListener('DOMContentLoaded', function () {
  var charts = JSON.parse(document.getElementById('indexwise-charts').textContent);
  charts.forEach(function (c) { new Chart(document.getElementById(c.id), c.config); });
});`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${assets.sortableCss}</style><style>${STYLE}</style>
</head><body>
${document.map(block).join('\n')}
<script type="application/json" id="indexwise-charts">${scriptJson(charts.map((c) => ({ id: c.id, config: c.config })))}</script>
<script>${assets.chartJs}</script>
<script>${assets.sortableJs}</script>
<script>${start}</script>
</body></html>
`;
}
