/** Cell helpers shared by the pages: numbers that sort by their value, SQL shown as code. */
import { formatBytes, formatCount, oneLineSql } from '../format.js';
import { html, type Safe } from './html.js';

export const bytesCell = (bytes: number | null | undefined) => ({ text: formatBytes(bytes), sort: bytes ?? 0 });
export const countCell = (n: number | null | undefined) => ({ text: formatCount(n), sort: n ?? 0 });
export const msCell = (ms: number) => ({ text: ms.toFixed(ms < 10 ? 2 : 1), sort: ms });
export const pctCell = (share: number | null) => ({ text: share === null ? '-' : `${(share * 100).toFixed(1)}%`, sort: share ?? 0 });

export function sqlCode(sql: string, max = 120): Safe {
  return html`<code class="sql">${oneLineSql(sql, max)}</code>`;
}

export function severityBadge(severity: string): Safe {
  return html`<span class="badge sev-${severity}">${severity}</span>`;
}
