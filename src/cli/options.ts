/** Option parsers shared by commands: each turns text into a value or a clear InputError. */
import { InputError } from '../errors.js';

export function parsePositiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InputError(`${name} must be a positive number, got "${value}"`);
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
