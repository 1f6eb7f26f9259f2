/** Runs one health check against a fresh database on real PostgreSQL (or PGlite). */
import { runHealth } from '../../src/health/run.js';
import type { Finding } from '../../src/model/finding.js';
import type { TestEngine } from './engines.js';

export async function findings(db: TestEngine, check: string, thresholds: Record<string, number> = {}): Promise<Finding[]> {
  const report = await runHealth(db.engine, { checks: [check], thresholds });
  return [...report.findings];
}
