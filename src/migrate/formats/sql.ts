/**
 * `sql`: two plain files, `<stamp>_<name>.up.sql` and `.down.sql` (the layout of
 * golang-migrate, dbmate-style runners, or psql by hand). PostgreSQL: CONCURRENTLY and
 * IF [NOT] EXISTS, one statement at a time outside a transaction (`psql -f`, never
 * `--single-transaction`). SQLite: plain statements in one transaction.
 */
import { extensionSteps, planSql, sqlScript, stepComment } from '../statements.js';
import { type FormatInput, isoTime, type MigrationFormat, type MigrationOutput, NO_TRANSACTION_NOTE, utcStamp, wrap } from './format.js';

function header(input: FormatInput, direction: 'up' | 'down'): string {
  const lines = [
    `-- indexwise migration (${direction}), ${isoTime(input.now)}: ${input.plan.steps.length} index change(s), ${input.plan.dialect}`,
  ];
  if (input.plan.dialect === 'postgres') {
    lines.push('-- Run statement by statement, outside a transaction: psql -v ON_ERROR_STOP=1 -f <this file>');
    lines.push(...wrap(NO_TRANSACTION_NOTE).map((l) => `-- ${l}`));
  }
  return lines.join('\n');
}

function body(input: FormatInput, direction: 'up' | 'down'): string {
  const { up, down, steps } = planSql(input.plan, { concurrently: true });
  const extensions = direction === 'up' ? extensionSteps(input.plan) : [];
  const statements = [...extensions.map((e) => e.sql), ...(direction === 'up' ? up : down)];
  const comments = [
    ...extensions.map((e) => `-- ${e.reason}`),
    ...(direction === 'up' ? steps : [...steps].reverse()).map((s) => stepComment(s.step)),
  ];
  const script = sqlScript(statements, comments);
  const inner = input.plan.dialect === 'sqlite' ? `BEGIN;\n\n${script}\n\nCOMMIT;` : script;
  return `${header(input, direction)}\n\n${inner}\n`;
}

export const sqlFormat: MigrationFormat = {
  id: 'sql',
  dialects: ['postgres', 'sqlite'],
  description: 'two SQL files, up and down (psql, golang-migrate, dbmate, …)',
  render(input: FormatInput): MigrationOutput {
    const base = `${utcStamp(input.now)}_${input.name}`;
    return {
      files: [
        { path: `${base}.up.sql`, contents: body(input, 'up') },
        { path: `${base}.down.sql`, contents: body(input, 'down') },
      ],
      printed: null,
      notes: [],
    };
  },
};
