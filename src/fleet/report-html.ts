/** The fleet page: pure, from the fleet report's result to one self-contained HTML file. */
import { formatBytes } from '../format.js';
import { escapeHtml } from '../report/html.js';
import type { FleetResult } from './result.js';

/** One database's row in the fleet report (and its `result` in the fleet JSON). */
export interface FleetReportRow {
  /** Its own report, relative to the fleet page. */
  readonly file: string;
  readonly bytes: number;
  readonly findings: { readonly error: number; readonly warning: number; readonly info: number };
  readonly indexBytes: number;
  readonly unusedBytes: number;
  readonly recommendations: number;
  readonly recommendedBytes: number;
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}td.n{text-align:right}.failed{color:#b00}.error{color:#b00}.warning{color:#a60}`;

function row(name: string, group: string, ok: boolean, r: FleetReportRow | undefined, error: string | undefined): string {
  const cell = (text: string, cls = '') => `<td${cls ? ` class="${cls}"` : ''}>${text}</td>`;
  if (!ok || r === undefined)
    return `<tr>${cell(escapeHtml(name))}${cell(escapeHtml(group))}<td colspan="6" class="failed">failed: ${escapeHtml(error ?? '')}</td></tr>`;
  const findings = `<span class="error">${r.findings.error} error</span>, <span class="warning">${r.findings.warning} warning</span>, ${r.findings.info} info`;
  const advice =
    r.recommendations === 0
      ? 'none'
      : `${r.recommendations} index${r.recommendations === 1 ? '' : 'es'} (${formatBytes(r.recommendedBytes)})`;
  return `<tr>${cell(`<a href="${encodeURIComponent(r.file)}">${escapeHtml(name)}</a>`)}${cell(escapeHtml(group))}${cell(formatBytes(r.bytes), 'n')}${cell(findings)}${cell(formatBytes(r.indexBytes), 'n')}${cell(formatBytes(r.unusedBytes), 'n')}${cell(advice)}</tr>`;
}

export function renderFleetPage(result: FleetResult<FleetReportRow>, generatedAt: Date): string {
  const groupOf = new Map(result.groups.flatMap((g) => g.members.map((m) => [m, g.name] as const)));
  const byName = new Map(result.databases.map((d) => [d.name, d]));
  const failed = result.databases.filter((d) => !d.ok).length;
  const rows = result.databases.map((d) => row(d.name, groupOf.get(d.name) ?? '', d.ok, d.result, d.error)).join('\n');
  const sections = result.groups.map((g) => {
    const members = g.members.map((m) => byName.get(m)?.result as FleetReportRow);
    const total = (f: (r: FleetReportRow) => number) => members.reduce((sum, r) => sum + f(r), 0);
    const links = g.members.map((m, i) => `<a href="${encodeURIComponent(members[i]?.file ?? '')}">${escapeHtml(m)}</a>`).join(', ');
    return `<section><h2>${escapeHtml(g.name)}</h2><p>Schema fingerprint <code>${g.schemaFingerprint}</code>: ${g.members.length} database${g.members.length === 1 ? '' : 's'} (${links}).</p>
<p>${formatBytes(total((r) => r.bytes))} in all; indexes ${formatBytes(total((r) => r.indexBytes))}, of which unused ${formatBytes(total((r) => r.unusedBytes))}; ${total((r) => r.findings.error)} errors and ${total((r) => r.findings.warning)} warnings; ${members.filter((r) => r.recommendations > 0).length} of ${members.length} databases have indexes to add.</p></section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>indexwise fleet report</title><style>${STYLE}</style></head>
<body><h1>indexwise fleet report</h1>
<p>${result.databases.length} databases, ${failed} failed, ${result.groups.length} schema groups; generated ${escapeHtml(generatedAt.toISOString())}. Each name links to that database's own report.</p>
<table><thead><tr><th>database</th><th>schema group</th><th>size</th><th>findings</th><th>index bytes</th><th>unused bytes</th><th>advice</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h2>Schema groups</h2>
${sections.join('\n')}
</body></html>
`;
}
