/**
 * HTML for the dashboard, escaped by construction: `html` escapes every value it is given
 * unless the value is itself `html` (a Safe). Names, query texts and messages from the
 * database can never become markup. No inline scripts: data for the browser goes into
 * `<script type="application/json">` blocks (JSON with <, >, & escaped) that app.js reads.
 */
import { escapeHtml } from '../report/html.js';

export class Safe {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = Safe | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Safe) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value)).replaceAll("'", '&#39;');
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Safe {
  let out = strings[0] ?? '';
  values.forEach((value, i) => (out += render(value) + (strings[i + 1] ?? '')));
  return new Safe(out);
}

/** Data for app.js: JSON that cannot end its script element or start a comment. */
export function jsonBlock(id: string, data: unknown): Safe {
  const json = JSON.stringify(data)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
  return new Safe(`<script type="application/json" id="${escapeHtml(id)}">${json}</script>`);
}

/** A sortable table (sortable-tablesort sorts it on a header click; `data-sort` holds a cell's raw number). */
export interface Column {
  readonly header: string;
  readonly numeric?: boolean;
}

export type CellValue = Safe | string | { readonly text: Value; readonly sort: number };

export function table(columns: readonly Column[], rows: readonly (readonly CellValue[])[], id?: string): Safe {
  const head = columns.map((c) => html`<th${c.numeric ? new Safe(' class="num"') : ''}>${c.header}</th>`);
  const body = rows.map(
    (row) =>
      html`<tr>
        ${row.map((cell, i) => {
          const num = columns[i]?.numeric ? new Safe(' class="num"') : '';
          if (typeof cell === 'object' && !(cell instanceof Safe)) return html`<td${num} data-sort="${cell.sort}">${cell.text}</td>`;
          return html`<td${num}>${cell}</td>`;
        })}
      </tr>`,
  );
  if (rows.length === 0) return html`<p class="empty">None.</p>`;
  return html`<table class="sortable" ${id ? html` id="${id}"` : ''}>
    <thead>
      <tr>
        ${head}
      </tr>
    </thead>
    <tbody>
      ${body}
    </tbody>
  </table>`;
}

export function link(href: string, text: Value): Safe {
  return html`<a href="${href}">${text}</a>`;
}
