/**
 * Advice: `advise` as a background job with live progress, the recommendations with their
 * evidence, the migration in every format the database's dialect has, a trial on demand
 * where trial writes disturb no other session, and Apply when serve may write.
 */
import { formatBytes, formatCost, formatCount } from '../../format.js';
import type { ServedDatabase } from '../database.js';
import { bytesCell, countCell, pctCell, sqlCode } from '../format.js';
import { html, link, type Safe, table } from '../html.js';
import type { Jobs } from '../jobs.js';
import type { Links } from '../links.js';
import { formatsFor } from '../migration.js';

function progress(jobs: Jobs): Safe {
  const running = jobs.running('advise') ?? jobs.running('apply') ?? jobs.running('trial');
  return html`<div id="job" class="job" ${running ? html`data-job="${running.id}"` : ''}>
    <progress id="job-progress" max="1" value="0" hidden></progress> <span id="job-step"></span>
    <pre id="job-log" class="log"></pre>
  </div>`;
}

function migrationLinks(db: ServedDatabase, links: Links): Safe {
  const files = formatsFor(db.info.family);
  return html`<h2>Migration</h2>
    <p>
      Download the advice as a migration:
      ${files.map((f) => html`<a class="button" href="${links.to(`/advice/migration/${f}`)}" id="migration-${f}">${f}</a> `)}
    </p>`;
}

export function advicePage(db: ServedDatabase, links: Links, jobs: Jobs, allowApply: boolean): Safe {
  const advice = db.advice;
  const { capabilities } = db.info;
  const runButton = html`<p>
    <button type="button" id="run-advise" data-post="${links.to('/api/advise')}" data-job-start="1">
      ${advice ? 'Advise again' : 'Run advice'}
    </button>
    <span class="muted"
      >reads the workload (${db.sourceNames.join(', ') || 'pg_stat_statements'}) and costs candidate indexes with
      ${capabilities.whatIfMethods[0] ?? 'what-if'}; changes nothing</span
    >
  </p>`;
  if (advice === null)
    return html`${runButton}${progress(jobs)}
      <p class="muted">No advice yet.</p>`;
  const rows = advice.recommendations.map((r) => [
    allowApply ? html`<input type="checkbox" name="apply" value="${r.name}" checked aria-label="apply ${r.name}" />` : '',
    html`<code>${r.name}</code>`,
    r.table,
    html`<code>(${r.columns.join(', ')})</code
      >${r.include.length > 0 ? html` INCLUDE <code>(${r.include.join(', ')})</code>` : ''}${r.where ? html` WHERE <code>${r.where}</code>` : ''}`,
    bytesCell(r.estimatedBytes),
    countCell(r.queries.length),
    { text: `${formatCost(r.costBefore)} → ${formatCost(r.costAfter)}`, sort: r.costBefore - r.costAfter },
    pctCell(r.workloadShareSaved),
    sqlCode(r.sql, 200),
  ]);
  const saved = advice.cost.before > 0 ? 1 - advice.cost.after / advice.cost.before : 0;
  return html`${runButton}${progress(jobs)}
    <p>
      Workload cost ${formatCount(advice.cost.before)} → ${formatCount(advice.cost.after)} (${(saved * 100).toFixed(1)}% less) over
      ${advice.workload.costed} of ${advice.workload.queries} queries; what-if by ${advice.whatIf}, ${advice.stats.seconds.toFixed(1)} s.
    </p>
    ${advice.notes.map((n) => html`<p class="note">${n}</p>`)}
    <h2>Recommendations</h2>
    ${table(
      [
        { header: '' },
        { header: 'index' },
        { header: 'table' },
        { header: 'keys' },
        { header: 'size', numeric: true },
        { header: 'queries', numeric: true },
        { header: 'their cost', numeric: true },
        { header: 'workload saved', numeric: true },
        { header: 'SQL' },
      ],
      rows,
      'recommendations',
    )}
    ${
      advice.replaces.length > 0
        ? html`<h2>Made redundant</h2>
            <ul>
              ${advice.replaces.map((f) => html`<li><code>${f.index ?? ''}</code>: ${f.message}</li>`)}
            </ul>`
        : ''
    }
    <h2>Queries</h2>
    ${table(
      [
        { header: 'query' },
        { header: 'weight', numeric: true },
        { header: 'cost before', numeric: true },
        { header: 'after', numeric: true },
      ],
      advice.queries.map((q) => [
        link(links.to(`/queries/${q.fingerprint}`), sqlCode(q.name ?? q.sql, 100)),
        countCell(q.weight),
        countCell(q.costBefore),
        countCell(q.costAfter),
      ]),
      'advice-queries',
    )}
    ${advice.recommendations.length > 0 ? migrationLinks(db, links) : ''}
    ${
      advice.recommendations.length > 0 && capabilities.isolatedWrites
        ? html`<h2>Trial</h2>
            <p>
              <button type="button" id="run-trial" data-post="${links.to('/api/trial')}" data-job-start="1">Measure with a trial</button>
              <span class="muted"
                >builds the indexes in a transaction that is rolled back (or on a copy), measures the workload before and after</span
              >
            </p>`
        : ''
    }
    ${
      advice.recommendations.length > 0
        ? allowApply
          ? html`<h2>Apply</h2>
              <p>
                <button type="button" id="apply" data-apply="${links.to('/api/apply')}" data-job-start="1">
                  Apply the checked indexes
                </button>
                <span class="muted"
                  >builds them now, through the same apply as the CLI (CONCURRENTLY on a server, lock timeout, invalid indexes
                  dropped)</span
                >
              </p>`
          : html`<p class="muted">
              Serve was started without --allow-apply: it changes nothing. Apply with <code>indexwise apply</code>, or the migration above.
            </p>`
        : ''
    }
    <p class="muted">Estimated size of all: ${formatBytes(advice.recommendations.reduce((s, r) => s + r.estimatedBytes, 0))}.</p>`;
}
