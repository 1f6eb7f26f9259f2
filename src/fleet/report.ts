/**
 * `report --fleet`: each member's own index-strategy report (DIR/<name>.html), and one fleet
 * page (DIR/index.html) with a row per database and a section per schema group.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportData } from '../report/data.js';
import { collectReport } from '../report/collect.js';
import { renderReport } from '../report/write.js';
import type { FleetMember } from './fleet-file.js';
import { schemaGroups } from './groups.js';
import { memberWorkload, type FleetAdviseOptions } from './advise.js';
import { withMember } from './member.js';
import { type FleetReportRow, renderFleetPage } from './report-html.js';
import { type FleetResult, type MemberRun, fingerprintsOf, fleetDatabases } from './result.js';
import { type RunOptions, runFleet } from './runner.js';
import { schemaFingerprint } from './schema-fingerprint.js';

export interface FleetReportOptions extends Omit<FleetAdviseOptions, 'advise'> {
  readonly outDir: string;
}

/** A member's name as a file name. */
export const reportFileName = (name: string) => `${name.replace(/[^\w.-]/g, '_')}.html`;

export function reportRow(data: ReportData, file: string): FleetReportRow {
  const count = (severity: string) => data.findings.filter((f) => f.severity === severity).length;
  const bytesOf = (evidence: Readonly<Record<string, unknown>>) => (typeof evidence.bytes === 'number' ? evidence.bytes : 0);
  return {
    file,
    bytes: data.catalog.tables.reduce((sum, t) => sum + (t.kind === 'partition' ? 0 : t.totalBytes), 0),
    findings: { error: count('error'), warning: count('warning'), info: count('info') },
    indexBytes: data.catalog.indexes.reduce((sum, i) => sum + i.bytes, 0),
    unusedBytes: data.findings
      .filter((f) => f.check === 'unused-index' && f.severity !== 'info')
      .reduce((sum, f) => sum + bytesOf(f.evidence), 0),
    recommendations: data.advice.recommendations.length,
    recommendedBytes: data.advice.recommendations.reduce((sum, r) => sum + r.estimatedBytes, 0),
  };
}

/** A member's report: its row of the fleet page (its `--json` result) and its own page, rendered. */
export interface ReportedMember extends MemberRun<FleetReportRow> {
  readonly html: string;
}

/** One member's report, rendered, not written (a queued one is written by whoever collects the run). */
export function reportMember(
  member: FleetMember,
  signal: AbortSignal,
  options: Omit<FleetReportOptions, 'outDir' | keyof RunOptions>,
): Promise<ReportedMember> {
  return withMember(member, signal, { readOnly: true }, async (engine) => {
    const workload = await memberWorkload(engine, member, options);
    const data = await collectReport(engine, workload, { sources: [], commands: [`indexwise report --fleet … (${member.name})`] });
    const file = reportFileName(member.name);
    return { result: reportRow(data, file), schemaFingerprint: schemaFingerprint(data.catalog), html: renderReport(data, 'html') };
  });
}

/** DIR/index.html for a fleet report's result, the members' pages already in DIR. */
export function writeFleetPage(outDir: string, result: FleetResult<FleetReportRow>): void {
  writeFileSync(join(outDir, 'index.html'), renderFleetPage(result, new Date()));
}

export async function fleetReport(members: readonly FleetMember[], options: FleetReportOptions): Promise<FleetResult<FleetReportRow>> {
  mkdirSync(options.outDir, { recursive: true });
  const outcomes = await runFleet(
    members,
    async (member, signal): Promise<MemberRun<FleetReportRow>> => {
      const { html, ...reported } = await reportMember(member, signal, options);
      writeFileSync(join(options.outDir, reported.result.file), html);
      return reported;
    },
    options,
  );
  const result = { databases: fleetDatabases(outcomes), groups: schemaGroups(fingerprintsOf(outcomes)) };
  writeFleetPage(options.outDir, result);
  return result;
}
