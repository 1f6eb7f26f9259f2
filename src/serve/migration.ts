/**
 * The current advice as a migration of any supported format, in memory for download: the
 * plan the CLI's `migrate` builds from an advice (planFromAdvice) rendered by the same
 * format modules, without an existing migrations folder to read.
 */
import type { Dialect } from '../sql/dialect.js';
import { FORMATS, type FormatId, type MigrationOutput } from '../migrate/formats/format.js';
import { migrationFormat } from '../migrate/formats/index.js';
import { planFromAdvice } from '../migrate/plan.js';
import { migrationName } from '../migrate/write.js';
import type { AdviceReport } from '../model/recommendation.js';

export function formatsFor(dialect: Dialect): FormatId[] {
  return FORMATS.filter((id) => {
    try {
      migrationFormat(id, dialect);
      return true;
    } catch {
      return false;
    }
  });
}

export function isFormat(text: string): text is FormatId {
  return (FORMATS as readonly string[]).includes(text);
}

export function renderMigration(advice: AdviceReport, dialect: Dialect, format: FormatId, now: Date): MigrationOutput {
  const plan = planFromAdvice(advice, dialect);
  return migrationFormat(format, dialect).render({
    plan,
    now,
    name: migrationName(undefined),
    outName: 'migrations',
    listing: [],
    existing: new Map(),
  });
}
