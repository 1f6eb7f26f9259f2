/**
 * The fleet's home page: one row per member with its name, tags and where it is (never a
 * password), whether it is open, and what is already known of an open one — its engine, and
 * the size and findings its Overview measured. Nothing here opens or queries a database.
 */
import { redactConnectionString } from '../../engines/connection-string.js';
import type { FleetMember } from '../../fleet/fleet-file.js';
import { SEVERITIES } from '../../model/finding.js';
import type { ServedFleet } from '../fleet.js';
import { bytesCell, countCell, severityBadge } from '../format.js';
import { html, link, type Safe, table } from '../html.js';
import { Links } from '../links.js';

/** Where a member is, as shown: the URL without its password; an unset `env:VAR` as itself. */
export function memberTarget(member: FleetMember): string {
  return member.url.startsWith('env:') ? `${member.url} (not set)` : redactConnectionString(member.url);
}

function state(fleet: ServedFleet, member: FleetMember): Safe {
  if (fleet.peek(member.name) !== undefined) return html`<span class="state-open">open</span>`;
  const failure = fleet.lastFailure(member.name);
  if (failure !== undefined) return html`<span class="badge sev-error">unreachable</span> <span class="muted">${failure}</span>`;
  return html`<span class="muted">not opened</span>`;
}

function row(fleet: ServedFleet, member: FleetMember): readonly (Safe | string | { text: string; sort: number })[] {
  const db = fleet.peek(member.name);
  const summary = db?.summary ?? null;
  return [
    link(Links.forMember(member.name).to('/'), member.name),
    html`${member.tags.map((t) => html`<span class="tag">${t}</span> `)}`,
    html`<code>${db?.target ?? memberTarget(member)}</code>`,
    state(fleet, member),
    db === undefined ? '' : `${db.info.kind} ${db.info.serverVersion}`,
    summary === null ? { text: '-', sort: -1 } : bytesCell(summary.tableBytes),
    summary === null ? '' : html`${[...SEVERITIES].reverse().map((s) => html`${severityBadge(s)} ${summary.findings[s]} `)}`,
    db?.advice ? countCell(db.advice.recommendations.length) : { text: '-', sort: -1 },
  ];
}

export function fleetHomePage(fleet: ServedFleet): Safe {
  const open = fleet.members.filter((m) => fleet.peek(m.name) !== undefined).length;
  return html`<p class="muted">
      ${fleet.members.length} databases, ${open} open. Each is opened on its first visit; size and findings show once its Overview was seen,
      advised indexes once its advice ran.
    </p>
    ${table(
      [
        { header: 'database' },
        { header: 'tags' },
        { header: 'target' },
        { header: 'state' },
        { header: 'engine' },
        { header: 'size', numeric: true },
        { header: 'findings' },
        { header: 'advised indexes', numeric: true },
      ],
      fleet.members.map((m) => row(fleet, m)),
      'fleet',
    )}`;
}
