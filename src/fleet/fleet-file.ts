/**
 * The fleet file (`--fleet FILE`): many databases by name, each with its connection string
 * (preferably `env:VAR`, read from the environment), tags to pick members by, and its own
 * workload sources and health thresholds.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';

export interface FleetMember {
  readonly name: string;
  /** The connection string, `env:` already resolved. */
  readonly url: string;
  /** `url` as the file writes it (`env:VAR` unresolved): what a queued job carries, resolved by the worker. */
  readonly urlSpec: string;
  readonly tags: readonly string[];
  /** Workload sources (as `--from`); empty: the command's default. */
  readonly from: readonly string[];
  /** Health threshold overrides by name. */
  readonly thresholds: Readonly<Record<string, number>>;
}

export interface Fleet {
  readonly members: readonly FleetMember[];
  /** One line per literal password found in the file. */
  readonly warnings: readonly string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringList(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new InputError(`${where} must be a list of strings`);
  return value as string[];
}

function thresholdMap(value: unknown, where: string): Record<string, number> {
  if (value === undefined) return {};
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'number' || !Number.isFinite(v) || v < 0))
    throw new InputError(`${where} must map threshold names to numbers ≥ 0`);
  return value as Record<string, number>;
}

/** Whether a connection string carries a password of its own (postgres://user:secret@…). */
export function hasLiteralPassword(url: string): boolean {
  const match = /^postgres(?:ql)?:\/\/([^@/]*)@/.exec(url);
  return match !== null && (match[1] ?? '').includes(':');
}

/** `env:VAR` → that variable's value (left as `env:VAR` when unset: that member fails, the others run). */
export function resolveUrlSpec(spec: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!spec.startsWith('env:')) return spec;
  const url = env[spec.slice(4)];
  return url === undefined || url === '' ? spec : url;
}

function resolveUrl(value: unknown, name: string, env: NodeJS.ProcessEnv): { url: string; literal: boolean } {
  if (typeof value !== 'string' || value.trim() === '') throw new InputError(`fleet database "${name}": "url" must be a string`);
  if (!value.startsWith('env:')) return { url: value, literal: true };
  return { url: resolveUrlSpec(value, env), literal: false };
}

/** The fleet a file's JSON text describes. */
export function parseFleet(text: string, source: string, env: NodeJS.ProcessEnv = process.env): Fleet {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`${source} is not valid JSON`);
  }
  if (!isObject(json) || !isObject(json.databases)) throw new InputError(`${source} has no "databases" object`);
  const members: FleetMember[] = [];
  const warnings: string[] = [];
  for (const [name, entry] of Object.entries(json.databases)) {
    if (!isObject(entry)) throw new InputError(`fleet database "${name}" must be an object`);
    const { url, literal } = resolveUrl(entry.url, name, env);
    if (literal && hasLiteralPassword(url)) warnings.push(`fleet database "${name}" has a password in ${source}: prefer "url": "env:VAR"`);
    members.push({
      name,
      url,
      urlSpec: entry.url as string,
      tags: stringList(entry.tags, `fleet database "${name}": "tags"`),
      from: stringList(entry.from, `fleet database "${name}": "from"`),
      thresholds: thresholdMap(entry.thresholds, `fleet database "${name}": "thresholds"`),
    });
  }
  if (members.length === 0) throw new InputError(`${source} lists no databases`);
  return { members, warnings };
}

export function loadFleet(path: string, env: NodeJS.ProcessEnv = process.env): Fleet {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read --fleet ${path}: ${(error as { code?: string }).code === 'ENOENT' ? 'no such file' : String(error)}`);
  }
  return parseFleet(text, path, env);
}

const matches = (member: FleetMember, pattern: string) => member.name === pattern || member.tags.includes(pattern);

/** The members `--only-db` keeps (any name or tag given; all when none) less those `--exclude-db` names. */
export function selectMembers(fleet: Fleet, only: readonly string[] = [], exclude: readonly string[] = []): FleetMember[] {
  for (const pattern of [...only, ...exclude]) {
    if (!fleet.members.some((m) => matches(m, pattern))) throw new InputError(`no fleet database is named or tagged "${pattern}"`);
  }
  return fleet.members.filter((m) => (only.length === 0 || only.some((p) => matches(m, p))) && !exclude.some((p) => matches(m, p)));
}
