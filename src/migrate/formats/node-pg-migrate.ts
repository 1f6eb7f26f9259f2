/**
 * `node-pg-migrate`: `<epoch ms>_<name>.js` in the migrations directory (its default
 * "timestamp" file name format), ESM exports that node-pg-migrate loads through jiti.
 * `pgm.noTransaction()` so CONCURRENTLY can run; one `pgm.sql` per statement.
 */
import { type FormatInput, isoTime, type MigrationFormat, NO_TRANSACTION_NOTE, stepLines, wrap } from './format.js';
import { blockComment, codeStatements, indent } from './js-code.js';

export function renderNodePgMigrate(input: FormatInput): string {
  const { up, down } = codeStatements(input.plan, (literal) => `pgm.sql(${literal});`);
  return `${blockComment([`indexwise migration, ${isoTime(input.now)}`, ...stepLines(input.plan), '', ...wrap(NO_TRANSACTION_NOTE)])}

export const shorthands = undefined;

export const up = (pgm) => {
  pgm.noTransaction();
${indent(up)}
};

export const down = (pgm) => {
  pgm.noTransaction();
${indent(down)}
};
`;
}

export const nodePgMigrateFormat: MigrationFormat = {
  id: 'node-pg-migrate',
  dialects: ['postgres'],
  description: 'a node-pg-migrate migration (<epoch ms>_<name>.js, outside a transaction)',
  render(input) {
    const path = `${input.now.getTime()}_${input.name.replaceAll('_', '-')}.js`;
    return { files: [{ path, contents: renderNodePgMigrate(input) }], printed: null, notes: [] };
  },
};
