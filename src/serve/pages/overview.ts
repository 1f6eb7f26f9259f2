/** Overview: server, sizes, cache hit ratio, findings by severity, the top queries and what the current advice saves on them. */
import type { Engine } from '../../engines/engine.js';
import { formatBytes, formatCount } from '../../format.js';
import { runHealth } from '../../health/run.js';
import { SEVERITIES, type Severity } from '../../model/finding.js';
import type { ServedDatabase } from '../database.js';
import type { Links } from '../links.js';
import { html, link, type Safe, table } from '../html.js';
import { countCell, msCell, pctCell, severityBadge, sqlCode } from '../format.js';
import { querySavings } from './queries.js';

/** Share of block reads served from shared buffers since statistics were reset (PostgreSQL family), else null. */
async function cacheHitRatio(engine: Engine): Promise<number | null> {
  const [row] = await engine.query<{ hit: number; read: number }>(
    'SELECT coalesce(blks_hit, 0)::float8 AS hit, coalesce(blks_read, 0)::float8 AS read FROM pg_stat_database WHERE datname = current_database()',
  );
  return row === undefined || row.hit + row.read === 0 ? null : row.hit / (row.hit + row.read);
}

export async function overviewPage(db: ServedDatabase, links: Links): Promise<Safe> {
  const { engine, info } = db;
  const catalog = await engine.catalog();
  const { findings } = await runHealth(engine);
  const { workload, problem } = await db.workloadOrProblem();
  const hitRatio = info.capabilities.statisticsViews ? await cacheHitRatio(engine) : null;
  const tableBytes = catalog.tables.reduce((sum, t) => sum + t.totalBytes, 0);
  const indexBytes = catalog.indexes.reduce((sum, i) => sum + i.bytes, 0);
  const bySeverity = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const).reverse();
  const savings = querySavings(db.advice);
  const top = [...(workload?.queries ?? [])].sort((a, b) => b.totalTimeMs - a.totalTimeMs || b.calls - a.calls).slice(0, 10);
  const advice = db.advice;
  db.summary = { tableBytes, findings: Object.fromEntries(bySeverity) as Record<Severity, number> };
  return html` <section class="cards">
      <div class="card">
        <h2>Server</h2>
        <p>${info.kind} ${info.serverVersion}</p>
        <p class="muted">database ${info.database}</p>
      </div>
      <div class="card">
        <h2>Size</h2>
        <p>${formatBytes(tableBytes)}</p>
        <p class="muted">
          ${formatCount(catalog.tables.length)} tables, of it ${formatBytes(indexBytes)} in ${formatCount(catalog.indexes.length)} indexes
        </p>
      </div>
      <div class="card">
        <h2>Cache hit ratio</h2>
        <p id="cache-hit">${hitRatio === null ? 'n/a' : `${(hitRatio * 100).toFixed(1)}%`}</p>
        <p class="muted">${info.capabilities.statisticsViews ? 'shared buffers, since the last reset' : 'not measured by this engine'}</p>
      </div>
      <div class="card">
        <h2>${link(links.to('/health'), 'Findings')}</h2>
        <p>${bySeverity.map(([s, n]) => html`${severityBadge(s)} ${n} `)}</p>
      </div>
      <div class="card">
        <h2>${link(links.to('/advice'), 'Advice')}</h2>
        ${
          advice === null
            ? html`<p class="muted">not run yet</p>`
            : html`<p>${advice.recommendations.length} indexes</p>
                <p class="muted">workload cost ${formatCount(advice.cost.before)} → ${formatCount(advice.cost.after)}</p>`
        }
      </div>
    </section>
    <h2>Top queries</h2>
    <p class="muted">workload: ${db.sourceNames.join(', ') || 'pg_stat_statements'}</p>
    ${problem === null ? '' : html`<p class="note">No workload: ${problem}</p>`}
    ${table(
      [
        { header: 'query' },
        { header: 'calls', numeric: true },
        { header: 'total ms', numeric: true },
        { header: 'mean ms', numeric: true },
        { header: 'saved by advice', numeric: true },
      ],
      top.map((q) => [
        link(links.to(`/queries/${q.fingerprint}`), sqlCode(q.name ?? q.sql, 90)),
        countCell(q.calls),
        msCell(q.totalTimeMs),
        msCell(q.meanTimeMs),
        pctCell(savings.get(q.fingerprint) ?? null),
      ]),
      'top-queries',
    )}`;
}
