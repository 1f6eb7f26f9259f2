/**
 * `prisma`: `migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql` (and `down.sql`, as
 * Prisma's docs keep down migrations), plus the `@@index` lines to add to schema.prisma,
 * printed, so `prisma migrate dev` sees the indexes as its own (an index schema.prisma
 * cannot declare — INCLUDE, WHERE, an expression key — is only in the raw SQL, and flagged). Prisma runs a migration
 * with several statements in one transaction: CONCURRENTLY only when there is one.
 */
import type { MigrationPlan } from '../plan.js';
import { extensionSteps, planSql, sqlScript, stepComment } from '../statements.js';
import { type FormatInput, isoTime, type MigrationFormat, utcStamp } from './format.js';
import { findModel, indexAttribute, type PrismaModel, parsePrismaModels, prismaIdentifier } from './prisma-schema.js';

/** Where the migrations folder is: the output directory itself when it is named `migrations`. */
const migrationsPrefix = (outName: string) => (outName === 'migrations' ? '' : 'migrations/');
const schemaPath = (outName: string) => (outName === 'migrations' ? '../schema.prisma' : 'schema.prisma');

function script(plan: MigrationPlan, now: Date, direction: 'up' | 'down'): string {
  const concurrently = plan.steps.length === 1;
  const { up, down, steps } = planSql(plan, { concurrently });
  const extensions = direction === 'up' ? extensionSteps(plan) : [];
  const comments = [
    ...extensions.map((e) => `-- ${e.reason}`),
    ...(direction === 'up' ? steps : [...steps].reverse()).map((s) => stepComment(s.step)),
  ];
  const head = [`-- indexwise migration (${direction}), ${isoTime(now)}`];
  if (plan.dialect === 'postgres' && !concurrently)
    head.push(
      '-- Prisma runs a migration of several statements in one transaction: built without CONCURRENTLY (use indexwise apply on a busy table)',
    );
  const statements = [...extensions.map((e) => e.sql), ...(direction === 'up' ? up : down)];
  return `${head.join('\n')}\n${sqlScript(statements, comments)}\n`;
}

/** The schema.prisma lines: what to add, what to remove, what Prisma cannot express. */
export function prismaSchemaLines(plan: MigrationPlan, models: readonly PrismaModel[]): string {
  const out: string[] = [];
  for (const step of plan.steps) {
    const table = step.kind === 'create' ? step.def.table : step.table;
    const model = table === null ? null : findModel(models, table);
    const modelName = model?.name ?? (table === null ? '?' : prismaIdentifier(table.name));
    if (step.kind === 'drop') {
      out.push(`// model ${modelName}: remove the @@index mapped to "${step.index.name}" (${step.check})`);
      continue;
    }
    const attribute = indexAttribute(step, model);
    out.push(
      attribute === null
        ? `// model ${modelName}: ${step.name} has INCLUDE, WHERE, an operator class, a key on an expression or an access method other than btree, which schema.prisma cannot express (the raw SQL of migration.sql builds it); Prisma may propose to drop it`
        : `// model ${modelName}${model === null ? ' (no schema.prisma read: field names assumed equal to column names)' : ''}\n  ${attribute}`,
    );
  }
  return `${out.join('\n')}\n`;
}

export const prismaFormat: MigrationFormat = {
  id: 'prisma',
  dialects: ['postgres', 'sqlite'],
  description: 'a Prisma migration folder (migration.sql, down.sql) and the @@index lines for schema.prisma',
  wants: (_listing, outName) => [schemaPath(outName)],
  render(input: FormatInput) {
    const dir = `${migrationsPrefix(input.outName)}${utcStamp(input.now)}_${input.name}`;
    const schema = input.existing.get(schemaPath(input.outName));
    const models = schema === undefined ? [] : parsePrismaModels(schema);
    return {
      files: [
        { path: `${dir}/migration.sql`, contents: script(input.plan, input.now, 'up') },
        { path: `${dir}/down.sql`, contents: script(input.plan, input.now, 'down') },
      ],
      printed: prismaSchemaLines(input.plan, models),
      notes:
        schema === undefined ? ['no schema.prisma found next to the migrations: model and field names are the table and column names'] : [],
    };
  },
};
