/** invalid-index: see invalid-index.sql. Fix: drop it and build it again, concurrently. */
import { dropIndexSql, recreateIndexSql } from '../../sql/ddl.js';
import { formatQualified } from '../../sql/names.js';
import type { Check } from '../check.js';
import { checkSql } from '../sql-file.js';

interface Row {
  schema: string;
  index_name: string;
  table_schema: string;
  table_name: string;
  bytes: number;
  definition: string;
}

export const invalidIndex: Check = {
  id: 'invalid-index',
  family: 'static',
  description: 'indexes left invalid by a failed concurrent build: written on every change, never read',
  thresholds: [],
  engines: ['postgres'],
  async run({ engine, info }) {
    const rows = await engine.query<Row & Record<string, unknown>>(checkSql('invalid-index'));
    return rows.map((row) => {
      const index = formatQualified({ schema: row.schema, name: row.index_name });
      const rebuild = recreateIndexSql(row.definition, { concurrently: info.capabilities.concurrently, dialect: info.family });
      const drop = dropIndexSql(
        { schema: row.schema, name: row.index_name },
        { concurrently: info.capabilities.concurrently && !/ ON ONLY /.test(row.definition), ifExists: true },
      );
      return {
        check: 'invalid-index',
        severity: 'error' as const,
        table: formatQualified({ schema: row.table_schema, name: row.table_name }),
        index,
        message: `${index} is invalid (a failed concurrent build): it slows writes and serves no query`,
        evidence: { bytes: Number(row.bytes), definition: row.definition },
        fixSql: `${drop};\n${rebuild};`,
      };
    });
  },
};
