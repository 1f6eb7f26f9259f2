/**
 * `kysely`: `<YYYYMMDDHHMMSS>_<name>.ts` for Kysely's FileMigrationProvider (migrations
 * run in name order), `up`/`down` with one `sql.raw(…).execute(db)` per statement.
 * Kysely wraps each migration in a transaction on PostgreSQL unless the Migrator is
 * created with `disableTransactions: true`, which CONCURRENTLY needs: the header says so.
 */
import { type FormatInput, isoTime, type MigrationFormat, NO_TRANSACTION_NOTE, stepLines, utcStamp, wrap } from './format.js';
import { blockComment, codeStatements, indent } from './js-code.js';

export function renderKysely(input: FormatInput): string {
  const { up, down } = codeStatements(input.plan, (literal) => `await sql.raw(${literal}).execute(db);`);
  const postgres = input.plan.dialect === 'postgres';
  const howTo = postgres
    ? ['', 'Run it with a Migrator created with `disableTransactions: true` (Kysely ≥ 0.28):', ...wrap(NO_TRANSACTION_NOTE)]
    : [];
  return `${blockComment([`indexwise migration, ${isoTime(input.now)}`, ...stepLines(input.plan), ...howTo])}
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
${indent(up)}
}

export async function down(db: Kysely<unknown>): Promise<void> {
${indent(down)}
}
`;
}

export const kyselyFormat: MigrationFormat = {
  id: 'kysely',
  dialects: ['postgres', 'sqlite'],
  description: 'a Kysely migration (<YYYYMMDDHHMMSS>_<name>.ts; on PostgreSQL the Migrator needs disableTransactions: true)',
  render(input) {
    return {
      files: [{ path: `${utcStamp(input.now)}_${input.name}.ts`, contents: renderKysely(input) }],
      printed: null,
      notes:
        input.plan.dialect === 'postgres'
          ? ['Kysely: create the Migrator with disableTransactions: true (CONCURRENTLY cannot run in a transaction)']
          : [],
    };
  },
};
