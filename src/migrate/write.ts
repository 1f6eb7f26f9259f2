/**
 * Writes a plan as one migration of a format into a directory: lists the directory,
 * reads the few files the format asks for (Alembic's revisions, Drizzle's journal,
 * schema.prisma), renders, and writes. New files never overwrite existing ones.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { FormatId } from './formats/format.js';
import { migrationFormat } from './formats/index.js';
import type { MigrationPlan } from './plan.js';

export interface WriteMigrationOptions {
  readonly format: FormatId;
  readonly outDir: string;
  /** The migration's name; snake_cased. Default "indexwise_indexes". */
  readonly name?: string;
  readonly now?: Date;
}

export interface WrittenMigration {
  /** Paths of the written files, relative to the output directory. */
  readonly files: readonly string[];
  readonly outDir: string;
  readonly printed: string | null;
  readonly notes: readonly string[];
}

const SKIP = new Set(['node_modules', '.git', '__pycache__', '.venv']);

/** Paths under `dir`, directories with a trailing `/`, down to `depth` levels. */
export async function listDirectory(dir: string, depth = 3, prefix = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(dir, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory()) {
      if (SKIP.has(entry.name)) continue;
      out.push(`${path}/`);
      if (depth > 1) out.push(...(await listDirectory(dir, depth - 1, `${path}/`)));
    } else out.push(path);
  }
  return out;
}

export function migrationName(name: string | undefined): string {
  const slug = (name ?? 'indexwise_indexes')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (slug === '') throw new InputError(`--name "${name}" has no letters or digits`);
  return slug.slice(0, 60);
}

async function readWanted(dir: string, paths: readonly string[]): Promise<Map<string, string>> {
  const existing = new Map<string, string>();
  for (const path of paths) {
    try {
      existing.set(path, await readFile(resolve(dir, path), 'utf8'));
    } catch {
      // a file the format would like to read but that is not there: it renders without it
    }
  }
  return existing;
}

/** The output directory, made when missing; a file in its place (or in a parent's) is refused. */
async function makeDirectory(outDir: string): Promise<void> {
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EEXIST' || code === 'ENOTDIR')
      throw new InputError(`${outDir} is not a directory: the migration is written into a directory`, { cause: error });
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new InputError(`cannot make ${outDir}: ${code}`, { cause: error });
    throw error;
  }
}

export async function writeMigration(plan: MigrationPlan, options: WriteMigrationOptions): Promise<WrittenMigration> {
  if (plan.steps.length === 0) throw new InputError('nothing to migrate: the plan is empty (see --only, --drop-unused, --drop-duplicates)');
  const format = migrationFormat(options.format, plan.dialect);
  const outDir = resolve(options.outDir);
  await makeDirectory(outDir);
  const listing = await listDirectory(outDir);
  const outName = basename(outDir);
  const existing = await readWanted(outDir, format.wants?.(listing, outName) ?? []);
  const output = format.render({ plan, now: options.now ?? new Date(), name: migrationName(options.name), outName, listing, existing });
  const taken = output.files.find((f) => !f.replace && existsSync(join(outDir, f.path)));
  if (taken !== undefined) throw new InputError(`${join(outDir, taken.path)} exists already: not overwritten`);
  for (const file of output.files) {
    const path = join(outDir, file.path);
    await makeDirectory(dirname(path));
    try {
      await writeFile(path, file.contents, { flag: file.replace ? 'w' : 'wx' });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'EEXIST') throw new InputError(`${path} exists already: not overwritten`);
      if (code === 'EISDIR' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
        throw new InputError(`cannot write ${path}: ${code}`, { cause: error });
      throw error;
    }
  }
  return { files: output.files.map((f) => f.path), outDir, printed: output.printed, notes: output.notes };
}
