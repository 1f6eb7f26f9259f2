/** Health: the findings of every check (the CLI's runHealth), with their evidence and fix SQL to copy. */
import { runHealth } from '../../health/run.js';
import { type Finding, SEVERITIES } from '../../model/finding.js';
import type { ServedDatabase } from '../database.js';
import { severityBadge } from '../format.js';
import { html, type Safe, table } from '../html.js';

function evidence(finding: Finding): Safe {
  return html`<ul class="evidence">
    ${Object.entries(finding.evidence).map(([k, v]) => html`<li><span class="muted">${k}</span> ${String(v)}</li>`)}
  </ul>`;
}

function fix(finding: Finding, i: number): Safe | string {
  if (finding.fixSql === null) return '';
  return html`<pre class="sql" id="fix-${i}">${finding.fixSql}</pre>
    <button type="button" data-copy="fix-${i}">copy</button>`;
}

export async function healthPage(db: ServedDatabase): Promise<Safe> {
  const { findings, checks } = await runHealth(db.engine);
  const rows = findings.map((f, i) => [
    { text: severityBadge(f.severity), sort: SEVERITIES.indexOf(f.severity) },
    f.check,
    f.table ?? '',
    f.index ?? '',
    html`${f.message}${evidence(f)}`,
    fix(f, i),
  ]);
  return html`<p class="muted">${checks.length} checks run, ${findings.length} findings.</p>
    ${table(
      [{ header: 'severity' }, { header: 'check' }, { header: 'table' }, { header: 'index' }, { header: 'finding' }, { header: 'fix' }],
      rows,
      'findings',
    )}`;
}
