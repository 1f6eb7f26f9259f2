/** History: the monitor snapshots of this database, usage over time, and a snapshot on demand. */
import { formatBytes, formatCount } from '../../format.js';
import type { ServedDatabase } from '../database.js';
import type { Links } from '../links.js';
import { bytesCell, countCell } from '../format.js';
import { html, jsonBlock, type Safe, table } from '../html.js';
import { readUsage, scansChart } from '../usage.js';

export async function historyPage(db: ServedDatabase, links: Links, snapshotEveryMs: number | null): Promise<Safe> {
  if (!db.info.capabilities.statisticsViews)
    return html`<p class="muted">${db.info.kind} keeps no usage counters: monitor snapshots are for PostgreSQL and PGlite.</p>`;
  if (db.store === null) return html`<p class="muted">No monitor store: start serve with --store FILE.</p>`;
  const usage = await readUsage(db);
  const last = usage.series[usage.series.length - 1];
  const busiest = Object.entries(last?.scans ?? {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([key]) => key);
  const report = usage.report;
  return html`<p class="muted">
      ${usage.snapshots.length} snapshots in the last 30
      days${snapshotEveryMs === null ? '' : `; one taken every ${Math.round(snapshotEveryMs / 60_000)} min while serve runs`}.
    </p>
    <p><button type="button" data-post="${links.to('/api/snapshot')}" data-reload="1" id="take-snapshot">Take a snapshot now</button></p>
    ${
      usage.series.length >= 2
        ? html`<div class="chart"><canvas data-chart="chart-history"></canvas></div>
            ${jsonBlock('chart-history', scansChart(usage.series, busiest))}`
        : ''
    }
    ${
      report === null
        ? ''
        : html`<h2>Indexes over ${report.days.toFixed(1)} days</h2>
            ${table(
              [
                { header: 'index' },
                { header: 'scans', numeric: true },
                { header: 'scans/day', numeric: true },
                { header: 'size', numeric: true },
                { header: 'growth', numeric: true },
                { header: 'unused' },
              ],
              report.indexes.map((u) => [
                `${u.schema}.${u.index}`,
                countCell(u.scans),
                countCell(u.scansPerDay),
                bytesCell(u.bytes),
                bytesCell(u.growthBytes),
                u.unused ? 'yes' : '',
              ]),
              'history-indexes',
            )}`
    }
    <h2>Snapshots</h2>
    ${table(
      [
        { header: 'taken at' },
        { header: 'indexes', numeric: true },
        { header: 'index scans', numeric: true },
        { header: 'table bytes', numeric: true },
      ],
      [...usage.snapshots]
        .reverse()
        .map((s) => [
          s.takenAt,
          countCell(s.indexes.length),
          countCell(s.indexes.reduce((n, i) => n + i.scans, 0)),
          { text: formatBytes(s.tables.reduce((n, t) => n + t.bytes, 0)), sort: s.tables.reduce((n, t) => n + t.bytes, 0) },
        ]),
      'snapshots',
    )}
    <p class="muted">${formatCount(usage.snapshots.length)} snapshots</p>`;
}
