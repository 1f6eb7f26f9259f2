/**
 * Where `--out` writes: checked before any work starts (a report or a measurement can
 * take minutes, and nothing is written when the path is wrong), and each write's own
 * failure reported as bad input, not as a bug.
 */
import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';

const kind = (path: string): 'file' | 'directory' | 'other' | null => {
  try {
    const stat = statSync(path);
    return stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : 'other';
  } catch {
    return null;
  }
};

/** Filesystem refusals a user can fix (a wrong path, no rights, a full or read-only disk). */
const USER_FS_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EEXIST', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENAMETOOLONG']);

/** A filesystem error as an InputError naming the path; anything else as it is. */
function fileError(error: unknown, what: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !USER_FS_CODES.has(code)) return error;
  const reason = (error as Error).message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
  return new InputError(`cannot write ${what}: ${reason}`, { cause: error });
}

/** `flag FILE`: a file in a directory that exists, and not a directory itself (an existing file is replaced). */
export function checkOutFile(path: string, flag = '--out'): void {
  const target = resolve(path);
  if (/[/\\]$/.test(path) || kind(target) === 'directory') throw new InputError(`${flag} ${path} is a directory: give a file name`);
  const parent = dirname(target);
  const parentKind = kind(parent);
  if (parentKind === null) throw new InputError(`${flag} ${path}: the directory ${parent} does not exist`);
  if (parentKind !== 'directory') throw new InputError(`${flag} ${path}: ${parent} is not a directory`);
}

/** `flag DIR`: a directory, made when missing; an existing file there is refused. */
export function checkOutDirectory(path: string, flag = '--out'): void {
  const target = resolve(path);
  const found = kind(target);
  if (found !== null && found !== 'directory')
    throw new InputError(`${flag} ${path} is a file, not a directory: give the directory to write into`);
  for (let up = dirname(target); up !== dirname(up); up = dirname(up)) {
    const upKind = kind(up);
    if (upKind === 'directory') break;
    if (upKind !== null) throw new InputError(`${flag} ${path}: ${up} is a file, not a directory`);
  }
}

export function writeOutFile(path: string, text: string, flag = '--out'): void {
  checkOutFile(path, flag);
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw fileError(error, `${flag} ${path}`);
  }
}
