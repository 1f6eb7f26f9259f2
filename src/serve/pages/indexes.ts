/**
 * Indexes: every index with its table, definition, size, scans (now and per day over the
 * monitor snapshots), when it was last used, and findings; a page per index with its usage over time.
 */
import { formatBytes, formatCount } from '../../format.js';
import { runHealth } from '../../health/run.js';
import { qualifiedKey } from '../../model/catalog.js';
import { describeLastUsed, type LastUsed } from '../../monitor/report.js';
import { takeSnapshot } from '../../monitor/snapshot.js';
import { formatQualified } from '../../sql/names.js';
import type { ServedDatabase } from '../database.js';
import type { Links } from '../links.js';
import { bytesCell, countCell, severityBadge } from '../format.js';
import { html, jsonBlock, link, type Safe, table } from '../html.js';
import { lastUsedSort, lastUses, readUsage, scansChart } from '../usage.js';

function indexHref(links: Links, schema: string, name: string): string {
  return links.to(`/indexes/${encodeURIComponent(schema)}/${encodeURIComponent(name)}`);
}

export async function indexesPage(db: ServedDatabase, links: Links): Promise<Safe> {
  const { engine, info } = db;
  const catalog = await engine.catalog();
  const { findings } = await runHealth(engine);
  const live = info.capabilities.statisticsViews ? await takeSnapshot(engine) : null;
  const scansNow = new Map((live?.indexes ?? []).map((c) => [qualifiedKey(c.schema, c.index), c.scans]));
  const usage = await readUsage(db);
  const perDay = new Map((usage.report?.indexes ?? []).map((u) => [qualifiedKey(u.schema, u.index), u.scansPerDay]));
  const lastUsed = lastUses(live, usage.report);
  const rows = catalog.indexes.map((index) => {
    const key = qualifiedKey(index);
    const named = formatQualified(index);
    const mine = findings.filter((f) => f.index === named);
    return [
      link(indexHref(links, index.schema, index.name), index.name),
      formatQualified(index.table),
      html`<code>${index.definition}</code>${index.valid ? '' : html` <span class="badge sev-error">INVALID</span>`}`,
      bytesCell(index.bytes),
      scansNow.has(key) ? countCell(scansNow.get(key)) : { text: 'n/a', sort: -1 },
      perDay.has(key) ? countCell(perDay.get(key)) : { text: '-', sort: -1 },
      lastUsedCell(lastUsed.get(key)),
      html`${mine.map((f) => html`${severityBadge(f.severity)} <a href="${links.to('/health')}">${f.check}</a> `)}`,
    ];
  });
  return html`<p class="muted">
      ${formatCount(catalog.indexes.length)} indexes, ${formatBytes(catalog.indexes.reduce((s, i) => s + i.bytes, 0))}. Scans per day from
      ${usage.snapshots.length} monitor snapshots${usage.snapshots.length < 2 ? ' (two or more are needed: see History)' : ''}; last used
      from the server where it records it (PostgreSQL 16+), else from the snapshots.
    </p>
    ${table(
      [
        { header: 'index' },
        { header: 'table' },
        { header: 'definition' },
        { header: 'size', numeric: true },
        { header: 'scans', numeric: true },
        { header: 'scans/day', numeric: true },
        { header: 'last used' },
        { header: 'findings' },
      ],
      rows,
      'indexes',
    )}`;
}

/** A last use as a cell: the text, its times in full as a tooltip, sorted by time. */
function lastUsedCell(last: LastUsed | null | undefined): { text: Safe; sort: number } {
  const text = describeLastUsed(last ?? null);
  const title = last?.kind === 'between' ? `scanned after the snapshot of ${last.after} and by the one of ${last.before}` : text;
  return { text: html`<span class="last-used" title="${title}">${text}</span>`, sort: lastUsedSort(last) };
}

export async function indexPage(db: ServedDatabase, schema: string, name: string): Promise<Safe | null> {
  const catalog = await db.engine.catalog();
  const index = catalog.indexes.find((i) => i.schema === schema && i.name === name);
  if (index === undefined) return null;
  const named = formatQualified(index);
  const { findings } = await runHealth(db.engine);
  const usage = await readUsage(db);
  const key = qualifiedKey(index);
  const live = db.info.capabilities.statisticsViews ? await takeSnapshot(db.engine) : null;
  const last = lastUses(live, usage.report).get(key);
  const stats = usage.report?.indexes.find((u) => qualifiedKey(u.schema, u.index) === key);
  const mine = findings.filter((f) => f.index === named);
  return html` <dl class="facts">
      <dt>index</dt>
      <dd>${named}</dd>
      <dt>table</dt>
      <dd>${formatQualified(index.table)}</dd>
      <dt>definition</dt>
      <dd><code>${index.definition}</code></dd>
      <dt>size</dt>
      <dd>${formatBytes(index.bytes)}</dd>
      <dt>flags</dt>
      <dd>${[index.primary ? 'primary' : index.unique ? 'unique' : '', index.valid ? 'valid' : 'INVALID'].filter(Boolean).join(', ')}</dd>
      ${
        stats
          ? html`<dt>scans/day</dt>
              <dd>${formatCount(stats.scansPerDay)} over ${stats.scans} scans</dd>`
          : ''
      }
      <dt>last used</dt>
      <dd id="last-used">${lastUsedCell(last).text}</dd>
    </dl>
    <h2>Usage over time</h2>
    ${
      usage.snapshots.length < 2
        ? html`<p class="muted">
            ${usage.snapshots.length} monitor snapshots: two or more draw a line (indexwise monitor snapshot, or serve --snapshot-every).
          </p>`
        : html`<div class="chart"><canvas data-chart="chart-index"></canvas></div>
            ${jsonBlock('chart-index', scansChart(usage.series, [key]))}`
    }
    <h2>Findings</h2>
    ${mine.length === 0 ? html`<p class="muted">None.</p>` : mine.map((f) => html`<p>${severityBadge(f.severity)} <strong>${f.check}</strong>: ${f.message}</p>`)}`;
}
