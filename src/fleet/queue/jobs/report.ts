/**
 * `report --fleet F --queue URL`: a job per member renders its own report; the page and
 * its row (its `report --fleet --json` result) are kept in the central store. Whoever collects
 * the run (`fleet status --report DIR`) writes the pages and the fleet page: no worker needs
 * the submitting machine's disk.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FleetMember } from '../../fleet-file.js';
import { type FleetReportOptions, reportMember, writeFleetPage } from '../../report.js';
import type { FleetReportRow } from '../../report-html.js';
import type { FleetResult } from '../../result.js';
import type { Queue } from '../connection.js';
import { enqueueFleet } from '../enqueue.js';
import type { MemberCommand } from '../job.js';
import { resultPages } from '../store.js';

export type QueuedReportOptions = Pick<FleetReportOptions, 'from' | 'collect' | 'timeoutMs'>;

export const reportJob: MemberCommand<QueuedReportOptions> = {
  command: 'report',
  runMember: (member, signal, options) => reportMember(member, signal, options),
};

export function enqueueReport(queue: Queue, members: readonly FleetMember[], options: QueuedReportOptions): Promise<string> {
  return enqueueFleet(queue, reportJob, members, options);
}

/** Writes DIR/<member>.html for each member done and DIR/index.html; returns how many member pages. */
export async function writeQueuedReport(queue: Queue, run: string, result: FleetResult<FleetReportRow>, outDir: string): Promise<number> {
  const pages = await resultPages(queue, run);
  mkdirSync(outDir, { recursive: true });
  let written = 0;
  for (const d of result.databases) {
    const page = pages.get(d.name);
    if (!d.ok || d.result === undefined || page === undefined) continue;
    writeFileSync(join(outDir, d.result.file), page);
    written++;
  }
  writeFleetPage(outDir, result);
  return written;
}
