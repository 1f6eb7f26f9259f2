/**
 * indexwise against SQLite's own `.expert` (Debian's sqlite3 CLI) on the cases of
 * cases.ts: wherever `.expert` proposes an index its plan uses, indexwise recommends an
 * index on that table leading with the same column, and the workload costs no more
 * under indexwise's indexes than under `.expert`'s. The differences are printed as a
 * table (the summary in the SQLite section of README).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadParser } from '../../src/analysis/parse.js';
import type { AdviceReport } from '../../src/model/recommendation.js';
import { CASES } from './cases.js';
import { type ExpertAdvice, type ExpertIndex, hasSqliteCli, runExpert, statements, workloadCost } from './expert.js';
import { adviseFile, shapes, sqliteFile } from './fixture.js';

interface Row {
  readonly name: string;
  readonly expert: string;
  readonly indexwise: string;
  readonly costs: string;
}

const rows: Row[] = [];

/** The index .expert proposed appears in the plan it printed: it helps. */
function helps(advice: ExpertAdvice, index: ExpertIndex): boolean {
  const name = /CREATE INDEX\s+("(?:[^"]|"")+"|\S+)/i.exec(index.sql)?.[1]?.replace(/^"|"$/g, '').replaceAll('""', '"') ?? '\u0000';
  return advice.plan.some((line) => line.includes(`INDEX ${name}`));
}

function leadsWith(report: AdviceReport, index: ExpertIndex): boolean {
  return report.recommendations.some(
    (r) =>
      r.index.table.name.toLowerCase() === index.table.toLowerCase() &&
      r.index.keys[0]?.column.toLowerCase() === index.columns[0]?.toLowerCase(),
  );
}

describe.skipIf(!hasSqliteCli())('indexwise and sqlite3 .expert on the same cases', () => {
  afterAll(() => {
    const table = rows.map((r) => `| ${r.name} | ${r.expert} | ${r.indexwise} | ${r.costs} |`);
    console.log(['| case | .expert | indexwise | workload cost: none / .expert / indexwise |', '|---|---|---|---|', ...table].join('\n'));
  });

  for (const c of CASES) {
    it(c.name, async () => {
      await loadParser();
      const path = sqliteFile(c.setup);
      const advices = statements(c.workload).map((s) => runExpert(path, s.sql));
      const report = await adviseFile(path, c.workload);
      const helpful = advices.flatMap((a) => a.indexes.filter((i) => helps(a, i)));
      // where indexwise leaves out what .expert proposes, the case says why
      if (c.expertDiffers === undefined)
        for (const index of helpful) expect(leadsWith(report, index), `${index.sql} vs ${shapes(report).join('; ')}`).toBe(true);
      else expect(helpful.some((index) => !leadsWith(report, index))).toBe(true);
      const expertSql = [...new Set(advices.flatMap((a) => a.indexes.map((i) => i.sql)))];
      const none = await workloadCost(path, [], c.workload);
      const expert = await workloadCost(path, expertSql, c.workload);
      const ours = await workloadCost(
        path,
        report.recommendations.map((r) => r.sql),
        c.workload,
      );
      expect(ours).toBeLessThanOrEqual(expert * 1.001);
      rows.push({
        name: c.name,
        expert:
          expertSql.map((s) => s.replace(/^CREATE INDEX ("(?:[^"]|"")+"|\S+) ON /i, '').replace(/;$/, '')).join(', ') || '(no new indexes)',
        indexwise: (shapes(report).join(', ') || '(none)') + (c.expertDiffers ? ` — ${c.expertDiffers}` : ''),
        costs: [none, expert, ours].map((n) => Math.round(n).toLocaleString('en-US')).join(' / '),
      });
    });
  }
});
