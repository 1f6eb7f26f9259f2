/**
 * Queries: the workload (pg_stat_statements, or the sources given) by total time, calls and
 * mean; per query its plan's scans (as the advice planned it) and the advice that concerns it; a page per query with its normalized text,
 * samples, and its plan on demand (EXPLAIN, with a timeout).
 */
import { costTexts } from '../../advisor/queries.js';
import { analyzeWorkload } from '../../analysis/analyze-workload.js';
import { formatCost, formatCount } from '../../format.js';
import { describeScan, indexesUsed, type PlanNode, scanTypes } from '../../model/plan.js';
import type { AdviceReport } from '../../model/recommendation.js';
import type { ServedDatabase } from '../database.js';
import type { Links } from '../links.js';
import { countCell, msCell, pctCell, sqlCode } from '../format.js';
import { html, link, type Safe, table } from '../html.js';

/** How long EXPLAIN may take before it is cancelled (where the engine can cancel). */
export const EXPLAIN_TIMEOUT_MS = 5000;

/** Per query fingerprint, the share of its planner cost the current advice saves. */
export function querySavings(advice: AdviceReport | null): Map<string, number> {
  return new Map(
    (advice?.queries ?? []).filter((q) => q.costBefore > 0).map((q) => [q.fingerprint, 1 - q.costAfter / q.costBefore] as const),
  );
}

/**
 * The scans of a query's plan before the advice, from the advice report (its baseline plans):
 * none are planned here. Without the advice, a link to run it; not costed by it, a dash.
 */
function scansCell(advice: AdviceReport | null, fingerprint: string, links: Links): Safe {
  if (advice === null) return html`<span class="muted">${link(links.to('/advice'), 'run the advice')}</span>`;
  const costed = advice.queries.find((q) => q.fingerprint === fingerprint);
  if (costed?.scans === undefined) return html`<span class="muted" title="not planned by the advice">-</span>`;
  return html`<ul class="scans">
    ${costed.scans.map((scan) => html`<li class="${scan.node === 'Seq Scan' ? 'seq-scan' : ''}">${describeScan(scan)}</li>`)}
  </ul>`;
}

function adviceFor(advice: AdviceReport | null, fingerprint: string): string[] {
  return (advice?.recommendations ?? []).filter((r) => r.queries.includes(fingerprint)).map((r) => r.name);
}

export async function queriesPage(db: ServedDatabase, links: Links): Promise<Safe> {
  const { workload, problem } = await db.workloadOrProblem();
  if (workload === null) return html`<p class="note">No workload: ${problem}</p>`;
  const savings = querySavings(db.advice);
  const rows = [...workload.queries]
    .sort((a, b) => b.totalTimeMs - a.totalTimeMs || b.calls - a.calls)
    .map((q) => [
      link(links.to(`/queries/${q.fingerprint}`), sqlCode(q.sql, 100)),
      q.name ?? '',
      countCell(q.calls),
      msCell(q.totalTimeMs),
      msCell(q.meanTimeMs),
      scansCell(db.advice, q.fingerprint, links),
      html`${adviceFor(db.advice, q.fingerprint).map((name) => html`<code>${name}</code> `)}`,
      pctCell(savings.get(q.fingerprint) ?? null),
    ]);
  return html`<p class="muted">
      ${formatCount(workload.queries.length)} queries from
      ${db.sourceNames.join(', ') || 'pg_stat_statements'}${
        workload.skipped.length > 0 ? `; ${workload.skipped.length} statements skipped` : ''
      }.
      ${db.advice === null ? html`Run the ${link(links.to('/advice'), 'advice')} to see each query's plan scans and the indexes that concern it.` : ''}
    </p>
    ${table(
      [
        { header: 'query' },
        { header: 'name' },
        { header: 'calls', numeric: true },
        { header: 'total ms', numeric: true },
        { header: 'mean ms', numeric: true },
        { header: 'plan scans' },
        { header: 'advised indexes' },
        { header: 'saved', numeric: true },
      ],
      rows,
      'queries',
    )}`;
}

export async function queryPage(db: ServedDatabase, links: Links, fingerprint: string): Promise<Safe | null> {
  const workload = await db.workload();
  const query = workload.queries.find((q) => q.fingerprint === fingerprint);
  if (query === undefined) return null;
  const recs = (db.advice?.recommendations ?? []).filter((r) => r.queries.includes(fingerprint));
  const costed = db.advice?.queries.find((q) => q.fingerprint === fingerprint);
  return html` <dl class="facts">
      <dt>fingerprint</dt>
      <dd><code>${query.fingerprint}</code></dd>
      <dt>calls</dt>
      <dd>${formatCount(query.calls)}</dd>
      <dt>total</dt>
      <dd>${query.totalTimeMs.toFixed(1)} ms</dd>
      <dt>mean</dt>
      <dd>${query.meanTimeMs.toFixed(2)} ms</dd>
      <dt>sources</dt>
      <dd>${query.sources.join(', ')}</dd>
      ${
        costed
          ? html`<dt>planner cost</dt>
              <dd>${formatCost(costed.costBefore)} → ${formatCost(costed.costAfter)} with the advice</dd>`
          : ''
      }
    </dl>
    <h2>Normalized text</h2>
    <pre class="sql" id="query-sql">${query.sql}</pre>
    ${
      query.samples.length > 0
        ? html`<h2>Samples</h2>
            ${query.samples.map((s) => html`<pre class="sql">${s}</pre>`)}`
        : ''
    }
    <h2>Advice that concerns it</h2>
    ${
      recs.length === 0
        ? html`<p class="muted">${db.advice === null ? 'advice not run yet' : 'none'}</p>`
        : html`<ul>
            ${recs.map((r) => html`<li><code>${r.sql}</code></li>`)}
          </ul>`
    }
    <h2>Plan</h2>
    <p>
      <button type="button" data-explain="${links.to(`/api/queries/${query.fingerprint}/explain`)}">EXPLAIN</button>
      <span class="muted">(not run: the planner's estimate, cancelled after ${EXPLAIN_TIMEOUT_MS / 1000} s)</span>
    </p>
    <div id="explain-result"></div>`;
}

export interface ExplainView {
  readonly sql: string;
  readonly generic: boolean;
  readonly totalCost: number;
  readonly scans: readonly string[];
  readonly indexes: readonly string[];
  readonly lines: readonly string[];
}

function planLines(node: PlanNode, depth = 0): string[] {
  const on = node['Relation Name'] ? ` on ${node.Schema ? `${node.Schema}.` : ''}${node['Relation Name']}` : '';
  const using = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  const line = `${'  '.repeat(depth)}${depth > 0 ? '-> ' : ''}${node['Node Type']}${using}${on}  (cost ${formatCost(node['Total Cost'])}${
    node['Plan Rows'] === undefined ? '' : `, rows ${formatCount(node['Plan Rows'])}`
  })`;
  return [line, ...(node.Plans ?? []).flatMap((child) => planLines(child, depth + 1))];
}

/** EXPLAIN of a workload query as the advisor plans it (a sample with values, or a generic plan). */
export async function explainQuery(db: ServedDatabase, fingerprint: string): Promise<ExplainView | null> {
  const workload = await db.workload();
  const catalog = await db.engine.catalog();
  const item = analyzeWorkload(workload, catalog).queries.find((q) => q.query.fingerprint === fingerprint);
  if (item === undefined) return null;
  const [text] = costTexts(item);
  if (text === undefined) return null;
  const plan = await db.engine.explain(text.sql, { generic: text.generic, timeoutMs: EXPLAIN_TIMEOUT_MS });
  return {
    sql: text.sql,
    generic: text.generic,
    totalCost: plan.totalCost,
    scans: scanTypes(plan),
    indexes: indexesUsed(plan),
    lines: planLines(plan.root),
  };
}
