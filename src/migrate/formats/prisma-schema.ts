/**
 * Just enough of schema.prisma to write `@@index` lines: models, the tables they map
 * to (`@@map`, `@@schema`) and their fields' column names (`@map`). Pure.
 */
import type { QualifiedName } from '../../model/catalog.js';
import type { CreateStep } from '../plan.js';

export interface PrismaModel {
  readonly name: string;
  readonly table: string;
  readonly schema: string | null;
  /** column name → field name */
  readonly fields: ReadonlyMap<string, string>;
}

const mapped = (text: string, attribute: string) => new RegExp(`${attribute}\\(\\s*(?:name:\\s*)?"([^"]+)"`).exec(text)?.[1] ?? null;

export function parsePrismaModels(source: string): PrismaModel[] {
  const models: PrismaModel[] = [];
  for (const match of source.matchAll(/^\s*model\s+(\w+)\s*\{([\s\S]*?)^\s*\}/gm)) {
    const [, name, body] = match as unknown as [string, string, string];
    const fields = new Map<string, string>();
    for (const raw of body.split('\n')) {
      const line = raw.replace(/\/\/.*$/, '').trim();
      const field = /^(\w+)\s+\w/.exec(line);
      if (field === null || line.startsWith('@@')) continue;
      fields.set(mapped(line, '@map') ?? (field[1] as string), field[1] as string);
    }
    models.push({ name, table: mapped(body, '@@map') ?? name, schema: mapped(body, '@@schema'), fields });
  }
  return models;
}

/** A name as `prisma db pull` would make it usable: characters Prisma refuses become `_`. */
export function prismaIdentifier(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

export function findModel(models: readonly PrismaModel[], table: QualifiedName): PrismaModel | null {
  return models.find((m) => m.table === table.name && (m.schema === null || m.schema === table.schema)) ?? null;
}

/**
 * `@@index([a, b(sort: Desc)], map: "name")`, or null when Prisma cannot say it (INCLUDE,
 * WHERE, operator class, NULLS order, a key on an expression, GIN/GiST/BRIN: `@@index` names fields only).
 * A hash index on a column is `@@index([url], type: Hash, map: "name")` (PostgreSQL, Prisma ≥ 4.0;
 * 3.6 with the extendedIndexes preview).
 */
export function indexAttribute(step: CreateStep, model: PrismaModel | null): string | null {
  const { def } = step;
  const unsaid = (k: (typeof def.keys)[number]) => k.opclass !== null || k.nullsFirst !== null || k.expression !== undefined;
  // Prisma's `type: Gin` needs the postgresqlExtensions preview and names no operator class we could rely on: said in raw SQL only
  if ((def.method !== 'btree' && def.method !== 'hash') || def.include.length > 0 || def.where !== null || def.keys.some(unsaid))
    return null;
  const fields = def.keys.map((k) => {
    const field = model?.fields.get(k.column) ?? prismaIdentifier(k.column);
    return k.descending ? `${field}(sort: Desc)` : field;
  });
  const type = def.method === 'hash' ? ', type: Hash' : '';
  return `@@index([${fields.join(', ')}]${type}, map: "${step.name}")`;
}
