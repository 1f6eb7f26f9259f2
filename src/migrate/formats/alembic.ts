/**
 * `alembic`: one revision file in `versions/`, following the current head. PostgreSQL
 * builds run inside `op.get_context().autocommit_block()` with
 * `postgresql_concurrently=True`; INCLUDE and partial predicates through
 * `postgresql_include` / `postgresql_where`; an expression key as `sa.text('(lower(email))')`
 * in the column list (SQLAlchemy writes a text element as it is). Drops recreate the exact definition on downgrade.
 */
import { createHash } from 'node:crypto';
import type { KeyColumn } from '../../model/index-def.js';
import { keySql, recreateIndexSql } from '../../sql/ddl.js';
import type { Dialect } from '../../sql/dialect.js';
import type { CreateStep, DropStep, PlanStep } from '../plan.js';
import { extensionSteps, onPartitionedTable, stepComment } from '../statements.js';
import { alembicHead, pythonFiles, readRevision, versionsDir } from './alembic-revisions.js';
import { type FormatInput, isoTime, joinPath, type MigrationFormat, stepLines, utcStamp } from './format.js';

/** A Python string literal. */
export function pyString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n').replaceAll('\r', '\\r')}'`;
}

/** sa.text() reads `:name` as a bind parameter: escape such colons (`::` casts are left alone). */
export function escapeBinds(sql: string): string {
  return sql.replace(/(?<![:\w\\]):(?=\w+(?!:))/g, '\\:');
}

const saText = (sql: string) => `sa.text(${pyString(escapeBinds(sql))})`;

/** A column by name; anything else (an expression, a direction, an operator class) as its SQL in sa.text(). */
function columnArg(key: KeyColumn): string {
  const plain = !key.descending && key.nullsFirst === null && key.opclass === null && key.expression === undefined;
  return plain ? pyString(key.column) : saText(keySql(key));
}

function createCall(step: CreateStep, dialect: Dialect): string[] {
  const { def } = step;
  const args = [
    pyString(step.name),
    pyString(def.table.name),
    `[${def.keys.map(columnArg).join(', ')}]`,
    `unique=${step.unique ? 'True' : 'False'}`,
  ];
  if (dialect === 'postgres') {
    args.push(`schema=${pyString(def.table.schema)}`);
    if (!onPartitionedTable(step)) args.push('postgresql_concurrently=True');
    if (def.method !== 'btree') args.push(`postgresql_using=${pyString(def.method)}`);
    if (def.include.length > 0) args.push(`postgresql_include=[${def.include.map(pyString).join(', ')}]`);
    if (def.where !== null) args.push(`postgresql_where=${saText(def.where)}`);
  } else if (def.where !== null) args.push(`sqlite_where=${saText(def.where)}`);
  return ['op.create_index(', ...args.map((a) => `    ${a},`), ')'];
}

function dropCall(name: string, table: string | null, schema: string, dialect: Dialect, partitioned: boolean): string[] {
  const args = [pyString(name)];
  if (table !== null) args.push(`table_name=${pyString(table)}`);
  if (dialect === 'postgres') args.push(`schema=${pyString(schema)}`);
  if (dialect === 'postgres' && !partitioned) args.push('postgresql_concurrently=True');
  return [`op.drop_index(${args.join(', ')})`];
}

function recreateCall(step: DropStep, dialect: Dialect): string[] {
  return [`op.execute(${saText(recreateIndexSql(step.definition, { concurrently: true, ifNotExists: true, dialect }))})`];
}

function upLines(step: PlanStep, dialect: Dialect): string[] {
  const body =
    step.kind === 'create'
      ? createCall(step, dialect)
      : dropCall(step.index.name, step.table?.name ?? null, step.index.schema, dialect, onPartitionedTable(step));
  return [stepComment(step, '#'), ...body];
}

function downLines(step: PlanStep, dialect: Dialect): string[] {
  const body =
    step.kind === 'create'
      ? dropCall(step.name, step.def.table.name, step.def.table.schema, dialect, onPartitionedTable(step))
      : recreateCall(step, dialect);
  return [stepComment(step, '#'), ...body];
}

/** A function body: inside autocommit_block() on PostgreSQL. */
function functionBody(lines: readonly string[], dialect: Dialect): string {
  if (lines.length === 0) return '    pass';
  if (dialect !== 'postgres') return lines.map((l) => `    ${l}`).join('\n');
  const note = "    # CONCURRENTLY cannot run in a transaction: autocommit_block() commits Alembic's transaction first.";
  return [note, '    with op.get_context().autocommit_block():', ...lines.map((l) => `        ${l}`)].join('\n');
}

const docstringSafe = (line: string) => line.replaceAll('\\', '/').replaceAll('"""', "'''");

export function revisionId(input: FormatInput): string {
  return createHash('sha1')
    .update(`${input.now.toISOString()}|${JSON.stringify(input.plan)}`)
    .digest('hex')
    .slice(0, 12);
}

export function renderRevision(input: FormatInput, revision: string, downRevision: string | null): string {
  const { dialect, steps } = input.plan;
  const extensions = extensionSteps(input.plan).flatMap((e) => [`# ${e.reason}`, `op.execute(${saText(e.sql)})`]);
  const up = [...extensions, ...steps.flatMap((s) => upLines(s, dialect))];
  const down = [...steps].reverse().flatMap((s) => downLines(s, dialect));
  return `"""Indexes from indexwise

Revision ID: ${revision}
Revises: ${downRevision ?? ''}
Create Date: ${isoTime(input.now)}

${stepLines(input.plan).map(docstringSafe).join('\n')}
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = ${pyString(revision)}
down_revision = ${downRevision === null ? 'None' : pyString(downRevision)}
branch_labels = None
depends_on = None


def upgrade() -> None:
${functionBody(up, dialect)}


def downgrade() -> None:
${functionBody(down, dialect)}
`;
}

export const alembicFormat: MigrationFormat = {
  id: 'alembic',
  dialects: ['postgres', 'sqlite'],
  description: 'an Alembic revision in versions/, following the current head',
  wants: (listing) => {
    const dir = versionsDir(listing);
    return pythonFiles(listing, dir).map((f) => joinPath(dir, f));
  },
  render(input) {
    const dir = versionsDir(input.listing);
    const revisions = [...input.existing.entries()].flatMap(([file, source]) => readRevision(file, source) ?? []);
    const head = alembicHead(revisions);
    const revision = revisionId(input);
    const path = joinPath(dir, `${utcStamp(input.now)}_${revision}_${input.name}.py`);
    const notes = [head === null ? 'first Alembic revision here (down_revision = None)' : `follows Alembic head ${head}`];
    return { files: [{ path, contents: renderRevision(input, revision, head) }], printed: null, notes };
  },
};
