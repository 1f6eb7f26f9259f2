/**
 * The generated migrations, run by the real tools on real PostgreSQL: node-pg-migrate,
 * Knex and Kysely through their programmatic migrators, the `sql`, Prisma and Drizzle
 * files through psql. Up creates the indexes (and drops the unused one), down restores
 * exactly the indexes there were. Alembic is parsed with Python's ast and its operations
 * asserted (Alembic itself is not installed here).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import knex from 'knex';
import { Kysely, type Migration, Migrator, PostgresDialect } from 'kysely';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlanInput } from '../../src/migrate/inputs.js';
import { buildPlan, type MigrationPlan, stepIndex } from '../../src/migrate/plan.js';
import { writeMigration } from '../../src/migrate/write.js';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../helpers/postgres.js';
import { ADVICE, HEALTH, invalidIndexes, psql, TABLE_SQL, tableIndexes, workDir } from './fixture.js';

const plan: MigrationPlan = buildPlan(
  [parsePlanInput(JSON.stringify(ADVICE), 'advice'), parsePlanInput(JSON.stringify(HEALTH), 'health')],
  { dropUnused: true },
  { dialect: 'postgres' },
);
const created = plan.steps.filter((s) => s.kind === 'create').map((s) => stepIndex(s).name);

describe.skipIf(!hasPostgres)('generated migrations, run by the real tools', () => {
  let db: TestDatabase;
  let before: string[];
  let after: string[];
  beforeAll(async () => {
    db = await createTestDatabase('migrate_tools');
    await db.sql(TABLE_SQL);
    before = await tableIndexes(db);
    after = [...before.filter((n) => n !== 'old_dup'), ...created].sort();
  });
  afterAll(async () => db?.drop());

  async function expectUpThenDown(up: () => Promise<unknown>, down: () => Promise<unknown>): Promise<void> {
    await up();
    expect(await tableIndexes(db)).toEqual(after);
    await down();
    expect(await tableIndexes(db)).toEqual(before);
    expect(await invalidIndexes(db)).toEqual([]);
  }

  it('sql: up and down files run with psql, CONCURRENTLY outside a transaction', async () => {
    const dir = workDir('sql');
    const { files } = await writeMigration(plan, { format: 'sql', outDir: dir });
    const [up, down] = files.map((f) => join(dir, f));
    expect(readFileSync(up as string, 'utf8')).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS');
    expect(readFileSync(up as string, 'utf8')).toContain(
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_order_items_user_id_lower_select ON public."Order Items" USING btree (user_id, (lower("select")));',
    );
    await expectUpThenDown(
      () => psql(db.url, up as string),
      () => psql(db.url, down as string),
    );
  });

  it('sql: a partitioned table is built and dropped without CONCURRENTLY (and says why); psql runs it', async () => {
    await db.sql(`CREATE TABLE measures (id bigint, sensor int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
      CREATE TABLE measures_1 PARTITION OF measures FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      CREATE TABLE measures_2 PARTITION OF measures FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
      INSERT INTO measures SELECT g, g % 100, date '2024-01-01' + (g % 700) FROM generate_series(1, 20000) g;`);
    const advice = {
      engine: 'postgres',
      recommendations: [
        { table: 'public.measures', columns: ['sensor'], include: [], where: null, partitioned: true, workloadShareSaved: 0.5 },
      ],
    };
    const partitionedPlan = buildPlan([parsePlanInput(JSON.stringify(advice), 'advice')], {}, { dialect: 'postgres' });
    const dir = workDir('sql-partitioned');
    const { files } = await writeMigration(partitionedPlan, { format: 'sql', outDir: dir });
    const [up, down] = files.map((f) => join(dir, f));
    const upText = readFileSync(up as string, 'utf8');
    expect(upText).toMatch(/^CREATE INDEX IF NOT EXISTS idx_measures_sensor\S* ON public\.measures USING btree \(sensor\);$/m);
    expect(upText).not.toMatch(/^(CREATE|DROP) INDEX CONCURRENTLY/m);
    expect(upText).toContain('partitioned table: no CONCURRENTLY');
    const onMeasures = async () =>
      (
        await db.sql(
          `SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class c ON c.oid = i.indexrelid WHERE t.relname LIKE 'measures%' ORDER BY 1`,
        )
      ).rows;
    await psql(db.url, up as string);
    const built = await onMeasures();
    // the parent's index and one per partition, all valid
    expect(built).toHaveLength(3);
    expect(built.every((r: { indisvalid: boolean }) => r.indisvalid)).toBe(true);
    await psql(db.url, down as string);
    expect(await onMeasures()).toEqual([]);
  });

  it('node-pg-migrate: runner up and down', async () => {
    const dir = workDir('npm');
    await writeMigration(plan, { format: 'node-pg-migrate', outDir: dir });
    const run = (direction: 'up' | 'down') =>
      runner({ databaseUrl: db.url, dir, direction, migrationsTable: 'pgmigrations', count: Infinity, log: () => {} });
    await expectUpThenDown(
      () => run('up'),
      () => run('down'),
    );
  });

  it('knex: migrate.latest and migrate.rollback', async () => {
    const dir = workDir('knex');
    await writeMigration(plan, { format: 'knex', outDir: dir });
    const k = knex({ client: 'pg', connection: db.url });
    try {
      const config = { directory: dir };
      await expectUpThenDown(
        () => k.migrate.latest(config),
        () => k.migrate.rollback(config),
      );
    } finally {
      await k.destroy();
    }
  });

  it('kysely: Migrator (disableTransactions) up and down', async () => {
    const dir = workDir('kysely');
    await writeMigration(plan, { format: 'kysely', outDir: dir });
    const provider = {
      async getMigrations(): Promise<Record<string, Migration>> {
        const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
        return Object.fromEntries(
          await Promise.all(files.map(async (f) => [f.replace(/\.ts$/, ''), (await import(join(dir, f))) as Migration])),
        );
      },
    };
    const kdb = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: db.url, max: 1 }) }) });
    try {
      const migrator = new Migrator({ db: kdb, provider, disableTransactions: true });
      const check = async (p: Promise<{ error?: unknown }>) => {
        const { error } = await p;
        if (error) throw error;
      };
      await expectUpThenDown(
        () => check(migrator.migrateToLatest()),
        () => check(migrator.migrateDown()),
      );
    } finally {
      await kdb.destroy();
    }
  });

  it('prisma: migration.sql and down.sql with psql; @@index lines with the model’s field names', async () => {
    const root = workDir('prisma');
    mkdirSync(join(root, 'prisma'));
    writeFileSync(
      join(root, 'prisma', 'schema.prisma'),
      `model OrderItem {\n  id        BigInt   @id\n  userId    Int      @map("user_id")\n  createdAt DateTime @map("Created At")\n  select    String?\n  status    String\n\n  @@map("Order Items")\n}\n`,
    );
    const written = await writeMigration(plan, { format: 'prisma', outDir: join(root, 'prisma', 'migrations') });
    const folder = written.files[0]?.split('/')[0] as string;
    expect(folder).toMatch(/^\d{14}_indexwise_indexes$/);
    expect(written.files).toEqual([`${folder}/migration.sql`, `${folder}/down.sql`]);
    expect(written.printed).toContain(
      '// model OrderItem\n  @@index([userId, createdAt(sort: Desc)], map: "idx_order_items_user_id_created_at")',
    );
    expect(written.printed).toMatch(/model OrderItem: idx_order_items_user_id_[0-9a-f]{6} has INCLUDE, WHERE/);
    // schema.prisma cannot declare an index on an expression: the raw SQL builds it, the line says so
    expect(written.printed).toMatch(/model OrderItem: idx_order_items_user_id_lower_select has .*a key on an expression/);
    expect(readFileSync(join(root, 'prisma', 'migrations', folder, 'migration.sql'), 'utf8')).toContain(
      'CREATE INDEX IF NOT EXISTS idx_order_items_user_id_lower_select ON public."Order Items" USING btree (user_id, (lower("select")));',
    );
    expect(written.printed).toContain('remove the @@index mapped to "old_dup"');
    const dir = join(root, 'prisma', 'migrations', folder);
    await expectUpThenDown(
      () => psql(db.url, join(dir, 'migration.sql')),
      () => psql(db.url, join(dir, 'down.sql')),
    );
  });

  it('drizzle: a journal entry chained to the last snapshot; the SQL applies with psql', async () => {
    const dir = workDir('drizzle');
    mkdirSync(join(dir, 'meta'));
    const journal = {
      version: '7',
      dialect: 'postgresql',
      entries: [{ idx: 0, version: '7', when: 1700000000000, tag: '0000_init', breakpoints: true }],
    };
    writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify(journal));
    writeFileSync(
      join(dir, 'meta', '0000_snapshot.json'),
      JSON.stringify({ id: 'first-snapshot', prevId: '00000000-0000-0000-0000-000000000000', tables: {} }),
    );
    writeFileSync(join(dir, '0000_init.sql'), 'SELECT 1;\n');
    await writeMigration(plan, { format: 'drizzle', outDir: dir });
    const next = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8'));
    expect(next.entries.map((e: { idx: number; tag: string }) => [e.idx, e.tag])).toEqual([
      [0, '0000_init'],
      [1, '0001_indexwise_indexes'],
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'meta', '0001_snapshot.json'), 'utf8')).prevId).toBe('first-snapshot');
    const sql = readFileSync(join(dir, '0001_indexwise_indexes.sql'), 'utf8');
    expect(sql.split('--> statement-breakpoint')).toHaveLength(plan.steps.length);
    await expectUpThenDown(
      () => psql(db.url, join(dir, '0001_indexwise_indexes.sql')),
      () => psql(db.url, join(dir, '0001_indexwise_indexes.down.sql')),
    );
  });
});

const ALEMBIC_OPS = `
import ast, json, sys
tree = ast.parse(open(sys.argv[1]).read())
def value(node):
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == 'text':
        return {'text': node.args[0].value}
    if isinstance(node, ast.List):
        return [value(e) for e in node.elts]
    return ast.literal_eval(node)
out = {}
for stmt in tree.body:
    if isinstance(stmt, ast.Assign) and stmt.targets[0].id in ('revision', 'down_revision'):
        out[stmt.targets[0].id] = ast.literal_eval(stmt.value)
    if isinstance(stmt, ast.FunctionDef):
        ops = []
        for w in [n for n in ast.walk(stmt) if isinstance(n, ast.With)]:
            autocommit = ast.unparse(w.items[0].context_expr) == 'op.get_context().autocommit_block()'
            for call in [n for s in w.body for n in ast.walk(s) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and ast.unparse(n.func.value) == 'op']:
                ops.append({'op': call.func.attr, 'autocommit': autocommit, 'args': [value(a) for a in call.args], 'kw': {k.arg: value(k.value) for k in call.keywords}})
        out[stmt.name] = ops
print(json.dumps(out))
`;

describe('alembic', () => {
  it('a revision after the current head, every operation concurrent inside autocommit_block', async () => {
    const root = workDir('alembic');
    mkdirSync(join(root, 'alembic', 'versions'), { recursive: true });
    writeFileSync(join(root, 'alembic', 'versions', 'aaaa_first.py'), `revision = 'aaaa1111'\ndown_revision = None\n`);
    writeFileSync(
      join(root, 'alembic', 'versions', 'bbbb_second.py'),
      `revision: str = "bbbb2222"\ndown_revision: Union[str, None] = "aaaa1111"\n`,
    );
    const written = await writeMigration(plan, { format: 'alembic', outDir: root });
    const file = join(root, written.files[0] as string);
    expect(written.files[0]).toMatch(/^alembic\/versions\/\d{14}_[0-9a-f]{12}_indexwise_indexes\.py$/);
    const { stdout } = await promisify(execFile)('python3', ['-c', ALEMBIC_OPS, file]);
    const ops = JSON.parse(stdout);
    expect(ops.down_revision).toBe('bbbb2222');
    expect(ops.upgrade.every((o: { autocommit: boolean }) => o.autocommit)).toBe(true);
    expect(ops.upgrade.map((o: { op: string }) => o.op)).toEqual([
      'create_index',
      'create_index',
      'create_index',
      'create_index',
      'drop_index',
    ]);
    const [first, partial, pattern, expression, drop] = ops.upgrade;
    expect(first.args).toEqual(['idx_order_items_user_id_created_at', 'Order Items', ['user_id', { text: '"Created At" DESC' }]]);
    expect(first.kw).toMatchObject({ schema: 'public', postgresql_concurrently: true, unique: false });
    expect(partial.kw).toMatchObject({
      postgresql_include: ['select'],
      postgresql_where: { text: "status = 'open'" },
      postgresql_concurrently: true,
    });
    expect(pattern.args[2]).toEqual([{ text: '"select" text_pattern_ops' }]);
    expect(expression.args).toEqual(['idx_order_items_user_id_lower_select', 'Order Items', ['user_id', { text: '(lower("select"))' }]]);
    expect(drop).toMatchObject({ args: ['old_dup'], kw: { table_name: 'Order Items', schema: 'public', postgresql_concurrently: true } });
    expect(ops.downgrade.map((o: { op: string }) => o.op)).toEqual(['execute', 'drop_index', 'drop_index', 'drop_index', 'drop_index']);
    expect(ops.downgrade[0].args).toEqual([
      { text: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS old_dup ON public."Order Items" USING btree (status)' },
    ]);
    expect(ops.downgrade.every((o: { autocommit: boolean }) => o.autocommit)).toBe(true);
  });
});
