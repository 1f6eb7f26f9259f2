/**
 * `report --fleet`: each member's own index-strategy report (DIR/<name>.html), and one fleet
 * page (DIR/index.html) with a row per database and a section per schema group.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportData } from '../report/data.js';
import { collectReport } from '../report/collect.js';
import { writeReport } from '../report/write.js';
import type { FleetMember } from './fleet-file.js';
import { schemaGroups } from './groups.js';
import { memberWorkload, type FleetAdviseOptions } from './advise.js';
import { withMember } from './member.js';
import { type FleetReportRow, renderFleetPage } from './report-html.js';
import { type FleetResult, type MemberRun, fingerprintsOf, fleetDatabases } from './result.js';
import { runFleet } from './runner.js';
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

export async function fleetReport(members: readonly FleetMember[], options: FleetReportOptions): Promise<FleetResult<FleetReportRow>> {
  mkdirSync(options.outDir, { recursive: true });
  const outcomes = await runFleet(
    members,
    (member, signal): Promise<MemberRun<FleetReportRow>> =>
      withMember(member, signal, { readOnly: true }, async (engine) => {
        const workload = await memberWorkload(engine, member, options);
        const data = await collectReport(engine, workload, { sources: [], commands: [`indexwise report --fleet … (${member.name})`] });
        const file = reportFileName(member.name);
        writeReport(data, join(options.outDir, file));
        return { result: reportRow(data, file), schemaFingerprint: schemaFingerprint(data.catalog) };
      }),
    options,
  );
  const result = { databases: fleetDatabases(outcomes), groups: schemaGroups(fingerprintsOf(outcomes)) };
  writeFileSync(join(options.outDir, 'index.html'), renderFleetPage(result, new Date()));
  return result;
}
