/** Option parsers shared by commands: each turns text into a value or a clear InputError. */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';

/** A JSON file an option names (`--advice`, `--trial`, a baseline): its value, or why it cannot be read. */
export function readJsonFile(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(
      `cannot read ${what} ${path}: ${(error as { code?: string }).code === 'ENOENT' ? 'no such file' : 'not valid JSON'}`,
    );
  }
}

export function parsePositiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InputError(`${name} must be a positive number, got "${value}"`);
    return n;
  };
}

export function parseNonNegativeNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InputError(`${name} must be a number ≥ 0, got "${value}"`);
    return n;
  };
}

export function parseNonNegativeInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InputError(`${name} must be a whole number ≥ 0, got "${value}"`);
    return n;
  };
}

/** `--db` falls back to DATABASE_URL. */
export function databaseUrl(option: string | undefined): string | undefined {
  return option ?? process.env.DATABASE_URL;
}

/** "10s", "500ms", "2m", "1h", "30d", "2w" → milliseconds (a bare number is seconds). */
export function parseDuration(name: string) {
  return (value: string): number => {
    const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/.exec(value.trim());
    if (!match) throw new InputError(`${name} must be a duration like 500ms, 10s, 2m or 30d, got "${value}"`);
    const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[
      (match[2] ?? 's') as 'ms' | 's' | 'm' | 'h' | 'd' | 'w'
    ];
    return Number(match[1]) * factor;
  };
}

/** For repeatable options: `--from a --from b`. */
export function collectValues(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseChoice<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value))
      throw new InputError(`${name} must be one of ${choices.join(', ')}, got "${value}"`);
    return value as T;
  };
}

/** "500MB", "1.5GB", "200kB", "1048576" → bytes. */
export function parseBytes(name: string) {
  return (value: string): number => {
    const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?$/i.exec(value.trim());
    if (!match) throw new InputError(`${name} must be a size like 500MB or 2GB, got "${value}"`);
    const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };
    return Math.round(Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? 1));
  };
}

/** "10%" or "0.1" → 0.1. */
export function parseFraction(name: string) {
  return (value: string): number => {
    const text = value.trim();
    const n = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
    if (!Number.isFinite(n) || n < 0 || n >= 1) throw new InputError(`${name} must be a percentage like 10% (or 0.1), got "${value}"`);
    return n;
  };
}

/** "a,b, c" → ["a", "b", "c"]. */
export function parseList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  ];
}
