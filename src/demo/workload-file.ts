/**
 * Reads an annotated workload file: blocks that start with `-- name: …`, carry
 * `-- calls_per_minute: N` and comment lines, then one statement. Pure.
 */
import { InputError } from '../errors.js';

export interface AnnotatedQuery {
  readonly name: string;
  readonly callsPerMinute: number;
  readonly description: string;
  readonly sql: string;
}

export function parseAnnotatedWorkload(text: string): AnnotatedQuery[] {
  const blocks = text.split(/^(?=-- name:)/m).filter((block) => block.startsWith('-- name:'));
  return blocks.map((block) => {
    const lines = block.split('\n');
    const header = (key: string) => lines.find((l) => l.startsWith(`-- ${key}:`))?.slice(key.length + 4).trim();
    const name = header('name') ?? '';
    const calls = Number(header('calls_per_minute') ?? '1');
    if (name === '' || !Number.isFinite(calls) || calls < 0) {
      throw new InputError(`workload block "${name}" needs a name and a non-negative calls_per_minute`);
    }
    const description = lines
      .filter((l) => l.startsWith('-- ') && !/^-- (name|calls_per_minute):/.test(l))
      .map((l) => l.slice(3).trim())
      .join(' ');
    const sql = lines
      .filter((l) => !l.startsWith('--'))
      .join('\n')
      .trim()
      .replace(/;\s*$/, '');
    if (sql === '') throw new InputError(`workload block "${name}" has no statement`);
    return { name, callsPerMinute: calls, description, sql };
  });
}
