/**
 * Shared by the JavaScript/TypeScript formats (node-pg-migrate, knex, kysely): the
 * plan's statements as lines of code, one call per statement, with its comment.
 */
import type { MigrationPlan } from '../plan.js';
import { extensionSteps, planSql, stepComment } from '../statements.js';
import { jsString } from './format.js';

export interface CodeStatements {
  readonly up: readonly string[];
  readonly down: readonly string[];
}

/**
 * `call(sqlLiteral)` per statement, each after its `//` comment. `escape` adapts the SQL
 * to the tool first (knex.raw reads `?` as a binding).
 */
export function codeStatements(
  plan: MigrationPlan,
  call: (literal: string) => string,
  escape: (sql: string) => string = (s) => s,
): CodeStatements {
  const { steps } = planSql(plan, { concurrently: plan.dialect === 'postgres' });
  const line = (comment: string, sql: string) => [comment, call(jsString(escape(sql)))];
  return {
    up: [
      ...extensionSteps(plan).flatMap((e) => line(`// ${e.reason}`, e.sql)),
      ...steps.flatMap((s) => line(stepComment(s.step, '//'), s.up)),
    ],
    down: [...steps].reverse().flatMap((s) => line(stepComment(s.step, '//'), s.down)),
  };
}

export function indent(lines: readonly string[], spaces = 2): string {
  const pad = ' '.repeat(spaces);
  return lines.map((l) => `${pad}${l}`).join('\n');
}

/** A `/* … *\/` header: what the file does, and how to run it. */
export function blockComment(lines: readonly string[]): string {
  return ['/*', ...lines.map((l) => ` *${l === '' ? '' : ` ${l.replaceAll('*/', '* /')}`}`), ' */'].join('\n');
}
