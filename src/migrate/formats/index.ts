/** The migration formats by id: one module each. */
import { InputError } from '../../errors.js';
import type { Dialect } from '../../sql/dialect.js';
import { alembicFormat } from './alembic.js';
import { drizzleFormat } from './drizzle.js';
import type { FormatId, MigrationFormat } from './format.js';
import { knexFormat } from './knex.js';
import { kyselyFormat } from './kysely.js';
import { nodePgMigrateFormat } from './node-pg-migrate.js';
import { prismaFormat } from './prisma.js';
import { sqlFormat } from './sql.js';

const BY_ID: Readonly<Record<FormatId, MigrationFormat>> = {
  sql: sqlFormat,
  alembic: alembicFormat,
  'node-pg-migrate': nodePgMigrateFormat,
  knex: knexFormat,
  kysely: kyselyFormat,
  drizzle: drizzleFormat,
  prisma: prismaFormat,
};

export function migrationFormat(id: FormatId, dialect: Dialect): MigrationFormat {
  const format = BY_ID[id];
  if (!format.dialects.includes(dialect))
    throw new InputError(`--format ${id} is for ${format.dialects.join(' and ')} only, not ${dialect}`);
  return format;
}
