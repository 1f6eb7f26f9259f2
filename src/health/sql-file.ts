/** Reads a check's SQL file, shipped next to its module (src/health/checks/<id>.sql, copied to dist by the build). */
import { readFileSync } from 'node:fs';

const cache = new Map<string, string>();

export function checkSql(id: string): string {
  let sql = cache.get(id);
  if (sql === undefined) {
    sql = readFileSync(new URL(`./checks/${id}.sql`, import.meta.url), 'utf8');
    cache.set(id, sql);
  }
  return sql;
}
