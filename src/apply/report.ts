/** Pure renderers for `apply`: the plan to confirm, the dry-run SQL, the summary. */
import type { MigrationPlan } from '../migrate/plan.js';
import { extensionSteps, planSql, stepComment } from '../migrate/statements.js';
import type { ApplySummary, BuildProgressEvent, StepResult } from './types.js';

export interface PlanView {
  readonly concurrently: boolean;
  readonly lockTimeoutMs: number;
  readonly statementTimeoutMs: number;
}

const ms = (value: number) => (value > 0 ? `${Math.round(value)}ms` : '0');

/** The numbered plan, as shown before asking for confirmation. */
export function renderPlan(plan: MigrationPlan, view: PlanView): string {
  const { steps } = planSql(plan, { concurrently: view.concurrently });
  const lines = steps.map((s, i) => `  ${i + 1}. ${stepComment(s.step, '').trim()}\n     ${s.up};`);
  const extensions = extensionSteps(plan).map((e) => `  first: ${e.reason}\n     ${e.sql};`);
  return `${plan.steps.length} change(s) on ${plan.dialect}:\n${[...extensions, ...lines].join('\n')}\n`;
}

/** `--dry-run`: the statements apply would run, in order, runnable as a script. */
export function renderDryRun(plan: MigrationPlan, view: PlanView): string {
  const { steps } = planSql(plan, { concurrently: view.concurrently });
  const body = [
    ...extensionSteps(plan).map((e) => `-- ${e.reason}\n${e.sql};`),
    ...steps.map((s, i) => `-- ${i + 1}. ${stepComment(s.step, '').trim()}\n${s.up};`),
  ];
  if (plan.dialect === 'sqlite')
    return `-- indexwise apply --dry-run (sqlite): one transaction\nBEGIN IMMEDIATE;\n${body.join('\n')}\nCOMMIT;\n`;
  const head = [
    `-- indexwise apply --dry-run (postgres): ${view.concurrently ? 'CONCURRENTLY, ' : ''}each statement on its own, outside a transaction,`,
    '-- under a session advisory lock; each build is re-checked first, retried after a lock timeout, and checked valid after.',
    '-- A partitioned table gets its index ON ONLY, then one per partition built concurrently and attached.',
    `SET lock_timeout = '${ms(view.lockTimeoutMs)}';`,
    `SET statement_timeout = '${ms(view.statementTimeoutMs)}';`,
  ];
  return `${head.join('\n')}\n${body.join('\n')}\n`;
}

const MARK: Record<StepResult['status'], string> = { built: '✓ built  ', dropped: '✓ dropped', skipped: '- skipped', failed: '✗ failed ' };

function renderResult(result: StepResult): string {
  const attempts = result.attempts > 1 ? ` (${result.attempts} attempts)` : '';
  const lines = [`  ${MARK[result.status]} ${result.index}: ${result.message}${attempts}`];
  for (const note of result.notes) lines.push(`      note: ${note}`);
  if (result.cleanedUp.length > 0) lines.push(`      invalid index dropped: ${result.cleanedUp.join(', ')}`);
  if (result.status === 'dropped' && result.definition) lines.push(`      to build it again: ${result.definition};`);
  return lines.join('\n');
}

export function renderSummary(summary: ApplySummary): string {
  const head = `apply on ${summary.target}: ${summary.built} built, ${summary.dropped} dropped, ${summary.skipped} skipped, ${summary.failed} failed (${summary.seconds.toFixed(1)} s)`;
  return `${[head, ...summary.steps.map(renderResult)].join('\n')}\n`;
}

/** One progress line: `public.idx_x: building index: scanning table 41% (1200/2900 blocks)`. */
export function renderProgress(event: BuildProgressEvent): string {
  const part = (done: number, total: number, unit: string) =>
    total > 0 ? ` ${Math.floor((done / total) * 100)}% (${done}/${total} ${unit})` : '';
  return `${event.index}: ${event.phase}${part(event.blocksDone, event.blocksTotal, 'blocks') || part(event.tuplesDone, event.tuplesTotal, 'tuples')}`;
}
