/**
 * The query shapes a multi-tenant application runs against one table, written with `$n`
 * placeholders as pg_stat_statements shows them. Each template gives the statements it
 * can make on a table (one per foreign key where it follows one); every statement is a
 * distinct shape, named by its signature (template, table, variant). Pure.
 */
import type { ForeignKey, ScaleTable } from './schema.js';

export interface ShapeStatement {
  /** Distinct for distinct shapes: template | table | variant. */
  readonly signature: string;
  readonly template: string;
  readonly table: string;
  readonly write: boolean;
  readonly sql: string;
}

export interface Template {
  readonly name: string;
  /** How often the template is chosen for a table, relative to the others. */
  readonly weight: number;
  readonly write: boolean;
  statements(table: ScaleTable, tables: ReadonlyMap<string, ScaleTable>): { variant: string; sql: string }[];
}

const viaForeignKeys = (table: ScaleTable, sql: (fk: ForeignKey) => string) =>
  table.foreignKeys.map((fk) => ({ variant: fk.column, sql: sql(fk) }));

export const TEMPLATES: readonly Template[] = [
  {
    name: 'by-foreign-key',
    weight: 3,
    write: false,
    statements: (t) => viaForeignKeys(t, (fk) => `SELECT id, status, amount, created_at FROM ${t.name} WHERE ${fk.column} = $1`),
  },
  {
    name: 'tenant-status-latest',
    weight: 3,
    write: false,
    statements: (t) => [
      {
        variant: '',
        sql: `SELECT id, name, status, created_at FROM ${t.name} WHERE tenant_id = $1 AND status = $2 ORDER BY created_at DESC LIMIT 20`,
      },
    ],
  },
  {
    name: 'by-email',
    weight: 2,
    write: false,
    statements: (t) => [{ variant: '', sql: `SELECT id, tenant_id, name FROM ${t.name} WHERE email = $1` }],
  },
  {
    name: 'created-range',
    weight: 2,
    write: false,
    statements: (t) => [
      {
        variant: '',
        sql: `SELECT id, amount, created_at FROM ${t.name} WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY created_at`,
      },
    ],
  },
  {
    name: 'not-deleted',
    weight: 2,
    write: false,
    statements: (t) => [
      {
        variant: '',
        sql: `SELECT id, name, updated_at FROM ${t.name} WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY updated_at DESC LIMIT 50`,
      },
    ],
  },
  {
    name: 'join-parent',
    weight: 2,
    write: false,
    statements: (t) =>
      viaForeignKeys(
        t,
        (fk) =>
          `SELECT c.id, c.status, c.amount, p.name FROM ${t.name} c JOIN ${fk.references} p ON p.id = c.${fk.column} WHERE p.email = $1 AND c.deleted_at IS NULL`,
      ),
  },
  {
    name: 'in-list',
    weight: 1,
    write: false,
    statements: (t) => [
      { variant: 'code', sql: `SELECT id, code, status FROM ${t.name} WHERE code IN ($1, $2, $3, $4)` },
      ...viaForeignKeys(t, (fk) => `SELECT id, ${fk.column}, amount FROM ${t.name} WHERE ${fk.column} IN ($1, $2, $3) AND status = $4`),
    ],
  },
  {
    name: 'join-grandparent',
    weight: 1,
    write: false,
    statements: (t, tables) =>
      t.foreignKeys.flatMap((fk) =>
        (tables.get(fk.references)?.foreignKeys ?? []).map((up) => ({
          variant: `${fk.column}>${up.column}`,
          sql:
            `SELECT a.id, a.amount, b.name, g.code FROM ${t.name} a JOIN ${fk.references} b ON b.id = a.${fk.column} ` +
            `JOIN ${up.references} g ON g.id = b.${up.column} WHERE g.code = $1 AND a.status = $2`,
        })),
      ),
  },
  {
    name: 'group-by-status',
    weight: 1,
    write: false,
    statements: (t) => [
      {
        variant: '',
        sql: `SELECT status, count(*), sum(amount) FROM ${t.name} WHERE tenant_id = $1 AND created_at >= $2 GROUP BY status`,
      },
    ],
  },
  {
    name: 'insert',
    weight: 1,
    write: true,
    statements: (t) => {
      const columns = ['id', 'tenant_id', ...t.foreignKeys.map((f) => f.column), 'status', 'amount', 'name', 'email', 'code'];
      const values = columns.map((_, i) => `$${i + 1}`);
      return [
        {
          variant: '',
          sql: `INSERT INTO ${t.name} (${columns.join(', ')}, created_at, updated_at) VALUES (${values.join(', ')}, now(), now())`,
        },
      ];
    },
  },
  {
    name: 'update-by-id',
    weight: 1,
    write: true,
    statements: (t) => [{ variant: '', sql: `UPDATE ${t.name} SET status = $1, updated_at = now() WHERE id = $2` }],
  },
  {
    name: 'delete-by-foreign-key',
    weight: 1,
    write: true,
    statements: (t) => viaForeignKeys(t, (fk) => `DELETE FROM ${t.name} WHERE ${fk.column} = $1`),
  },
];
