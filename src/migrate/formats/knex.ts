/**
 * `knex`: `<YYYYMMDDHHMMSS>_<name>.cjs` in the migrations directory (Knex's own name
 * format; .cjs loads with require() whatever the package type). `exports.config =
 * { transaction: false }` lets CONCURRENTLY run; one `knex.raw` per statement.
 */
import { type FormatInput, isoTime, type MigrationFormat, NO_TRANSACTION_NOTE, stepLines, utcStamp, wrap } from './format.js';
import { blockComment, codeStatements, indent } from './js-code.js';

/** knex.raw reads `?` as a binding placeholder; `\?` is a literal question mark. */
export function escapeKnexBindings(sql: string): string {
  return sql.replaceAll('?', '\\?');
}

export function renderKnex(input: FormatInput): string {
  const { up, down } = codeStatements(input.plan, (literal) => `await knex.raw(${literal});`, escapeKnexBindings);
  const postgres = input.plan.dialect === 'postgres';
  return `${blockComment([`indexwise migration, ${isoTime(input.now)}`, ...stepLines(input.plan), ...(postgres ? ['', ...wrap(NO_TRANSACTION_NOTE)] : [])])}

${postgres ? 'exports.config = { transaction: false };\n\n' : ''}exports.up = async function up(knex) {
${indent(up)}
};

exports.down = async function down(knex) {
${indent(down)}
};
`;
}

export const knexFormat: MigrationFormat = {
  id: 'knex',
  dialects: ['postgres', 'sqlite'],
  description: 'a Knex migration (<YYYYMMDDHHMMSS>_<name>.cjs, outside a transaction on PostgreSQL)',
  render(input) {
    return { files: [{ path: `${utcStamp(input.now)}_${input.name}.cjs`, contents: renderKnex(input) }], printed: null, notes: [] };
  },
};
