/**
 * `--from sql:FILE` and `--from -`: a script of `;`-separated statements, with
 * optional `-- name:` and `-- calls_per_minute:` annotations before a statement.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../../errors.js';
import type { RawStatement } from '../../model/workload.js';
import { splitScript } from '../sql-text.js';

export async function readSqlText(path: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new InputError(
      `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code ?? error)}`,
    );
  }
}

export function sqlStatements(text: string, source: string): RawStatement[] {
  return splitScript(text).map((statement) => ({
    sql: statement.sql,
    source,
    ...(statement.calls === undefined ? {} : { calls: statement.calls }),
    ...(statement.name === undefined ? {} : { name: statement.name }),
  }));
}
