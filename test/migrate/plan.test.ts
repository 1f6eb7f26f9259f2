/** The plan model and the pure pieces of the formats: no database. */
import { describe, expect, it } from 'vitest';
import { recreateIndexSql } from '../../src/sql/ddl.js';
import { alembicHead, readRevision } from '../../src/migrate/formats/alembic-revisions.js';
import { escapeBinds, pyString } from '../../src/migrate/formats/alembic.js';
import { escapeKnexBindings } from '../../src/migrate/formats/knex.js';
import { parsePlanInput } from '../../src/migrate/inputs.js';
import { buildPlan, candidateSteps } from '../../src/migrate/plan.js';
import { parseKeyColumn, parseQualifiedName } from '../../src/sql/read-names.js';
import { planSql } from '../../src/migrate/statements.js';

const advice = JSON.stringify({
  engine: 'postgres',
  recommendations: [
    {
      table: 'public."Order Items"',
      columns: ['user_id', '"Created At" DESC NULLS LAST'],
      include: ['"select"'],
      where: "status = 'open'",
      name: 'x',
    },
    { table: 'app.posts', columns: ['title text_pattern_ops'], include: [], where: null, name: 'y' },
  ],
});
const health = JSON.stringify({
  findings: [
    {
      check: 'unused-index',
      severity: 'warning',
      table: 'public.t',
      index: 'public.old_unused',
      message: 'unused',
      evidence: { definition: 'CREATE INDEX old_unused ON public.t USING btree (a)' },
      fixSql: 'DROP …',
    },
    {
      check: 'unused-index',
      severity: 'info',
      table: 'public.t',
      index: 'public.too_young',
      message: 'young',
      evidence: { definition: 'CREATE INDEX too_young ON public.t USING btree (b)' },
      fixSql: null,
    },
    {
      check: 'redundant-index',
      severity: 'warning',
      table: 'public.t',
      index: 'public.old_prefix',
      message: 'covered',
      evidence: { definition: 'CREATE UNIQUE INDEX old_prefix ON public.t USING btree (c)' },
      fixSql: null,
    },
    { check: 'duplicate-index', severity: 'warning', table: 'public.t', index: 'public."Dup"', message: 'dup', evidence: {}, fixSql: null },
    { check: 'invalid-index', severity: 'error', table: 'public.t', index: 'public.bad', message: 'invalid', evidence: {}, fixSql: null },
  ],
});
const inputs = [parsePlanInput(advice, 'advice.json'), parsePlanInput(health, 'health.json')];

describe('reading names back', () => {
  it('qualified names, quoted or not', () => {
    expect(parseQualifiedName('public."Order Items"')).toEqual({ schema: 'public', name: 'Order Items' });
    expect(parseQualifiedName('"My ""S"""."select"')).toEqual({ schema: 'My "S"', name: 'select' });
    expect(parseQualifiedName('posts', 'main')).toEqual({ schema: 'main', name: 'posts' });
    expect(() => parseQualifiedName('a.b.c')).toThrow(/schema.name/);
  });

  it('key columns with operator class, direction and nulls order', () => {
    expect(parseKeyColumn('"Created At" DESC NULLS LAST')).toEqual({
      column: 'Created At',
      descending: true,
      nullsFirst: false,
      opclass: null,
    });
    expect(parseKeyColumn('title text_pattern_ops')).toEqual({
      column: 'title',
      descending: false,
      nullsFirst: null,
      opclass: 'text_pattern_ops',
    });
    expect(parseKeyColumn('a NULLS FIRST')).toEqual({ column: 'a', descending: false, nullsFirst: true, opclass: null });
    expect(() => parseKeyColumn('a DESC nonsense')).toThrow(/cannot read/);
  });

  it('a key on an expression: the text between its parentheses as written, then direction and nulls order', () => {
    expect(parseKeyColumn('(lower(email))')).toEqual({
      column: 'lower(email)',
      expression: { reads: [] },
      descending: false,
      nullsFirst: null,
      opclass: null,
    });
    expect(parseKeyColumn(`(coalesce("Name", ')(', "a""b")) DESC NULLS LAST`)).toMatchObject({
      column: `coalesce("Name", ')(', "a""b")`,
      descending: true,
      nullsFirst: false,
    });
    expect(() => parseKeyColumn('(lower(email)')).toThrow(/unbalanced parentheses/);
    expect(() => parseKeyColumn("(a = 'x)")).toThrow(/unterminated string/);
    expect(() => parseKeyColumn('()')).toThrow(/cannot read/);
  });
});

describe('plan', () => {
  it('creations from recommendations, with deterministic names ≤ 63 bytes', () => {
    const plan = buildPlan(inputs, {}, { dialect: 'postgres' });
    expect(plan.steps.map((s) => s.kind)).toEqual(['create', 'create']);
    const [first] = plan.steps;
    if (first?.kind !== 'create') throw new Error('expected a creation');
    expect(first.def.table).toEqual({ schema: 'public', name: 'Order Items' });
    expect(first.def.include).toEqual(['select']);
    expect(first.name).toMatch(/^idx_order_items_user_id_created_at_[0-9a-f]{6}$/);
    expect(Buffer.byteLength(first.name)).toBeLessThanOrEqual(63);
    expect(buildPlan(inputs, {}, { dialect: 'postgres' })).toEqual(plan);
  });

  it('drops only when asked; info findings and other checks never', () => {
    const definitions = new Map([['public."Dup"', 'CREATE INDEX "Dup" ON public.t USING btree (d)']]);
    const unused = buildPlan(inputs, { dropUnused: true }, { dialect: 'postgres' });
    expect(unused.steps.filter((s) => s.kind === 'drop').map((s) => s.kind === 'drop' && s.index.name)).toEqual(['old_unused']);
    const dups = buildPlan(inputs, { dropDuplicates: true }, { dialect: 'postgres', definitions });
    expect(buildPlan(inputs, { dropDuplicates: true, only: ['old_prefix'] }, { dialect: 'postgres' }).steps).toHaveLength(1);
    expect(dups.steps.filter((s) => s.kind === 'drop').map((s) => s.kind === 'drop' && s.index.name)).toEqual(['old_prefix', 'Dup']);
  });

  it('a drop without a definition is refused, with what to do', () => {
    expect(() => buildPlan(inputs, { dropDuplicates: true }, { dialect: 'postgres' })).toThrow(
      /public."Dup" carries no index definition: pass --db/,
    );
  });

  it('--only by 1-based position and by name; unknown ones are errors', () => {
    const all = candidateSteps(inputs, { dropUnused: true }, { dialect: 'postgres' });
    expect(all).toHaveLength(3);
    const picked = buildPlan(inputs, { dropUnused: true, only: ['2', 'old_unused'] }, { dialect: 'postgres' });
    expect(picked.steps.map((s) => (s.kind === 'create' ? s.name : s.index.name))).toEqual(['idx_posts_title', 'old_unused']);
    expect(() => buildPlan(inputs, { only: ['9'] }, { dialect: 'postgres' })).toThrow(/no such position \(there are 2 candidates\)/);
    expect(() => buildPlan(inputs, { only: ['nope'] }, { dialect: 'postgres' })).toThrow(/no such index/);
  });

  it('up in order, down in reverse; drops come back with their exact definition', () => {
    const plan = buildPlan(inputs, { dropUnused: true, dropDuplicates: true, only: ['2', '4'] }, { dialect: 'postgres' });
    const sql = planSql(plan, { concurrently: true });
    expect(sql.up).toEqual([
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_posts_title ON app.posts USING btree (title text_pattern_ops)',
      'DROP INDEX CONCURRENTLY IF EXISTS public.old_prefix',
    ]);
    expect(sql.down).toEqual([
      'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS old_prefix ON public.t USING btree (c)',
      'DROP INDEX CONCURRENTLY IF EXISTS app.idx_posts_title',
    ]);
    const sqlite = planSql({ ...plan, dialect: 'sqlite' }, { concurrently: true });
    // SQLite has no operator classes (nor CONCURRENTLY, USING or NULLS FIRST/LAST in an index)
    expect(sqlite.up[0]).toBe('CREATE INDEX IF NOT EXISTS idx_posts_title ON posts (title)');
  });

  it('rejects what is not advise or health output', () => {
    expect(() => parsePlanInput('{"rows": []}', 'x.json')).toThrow(/neither advise --json nor health --json/);
    expect(() => parsePlanInput('nope', 'x.json')).toThrow(/x.json is not JSON/);
  });
});

describe('format helpers', () => {
  it('recreates a partitioned parent without ON ONLY and without CONCURRENTLY', () => {
    expect(recreateIndexSql('CREATE INDEX p_idx ON ONLY public.p USING btree (a)', { concurrently: true, ifNotExists: true })).toBe(
      'CREATE INDEX IF NOT EXISTS p_idx ON public.p USING btree (a)',
    );
    expect(recreateIndexSql('CREATE UNIQUE INDEX u ON public.t USING btree (a)', { concurrently: true })).toBe(
      'CREATE UNIQUE INDEX CONCURRENTLY u ON public.t USING btree (a)',
    );
  });

  it('Alembic: the head of the revision graph; several heads are an error', () => {
    const a = readRevision('a.py', `revision = 'a'\ndown_revision = None\n`);
    const b = readRevision('b.py', `revision: str = "b"\ndown_revision: Union[str, None] = "a"\n`);
    const c = readRevision('c.py', `revision = 'c'\ndown_revision = ('a',)\n`);
    expect(b).toEqual({ file: 'b.py', revision: 'b', downRevisions: ['a'] });
    expect(alembicHead([a, b].flatMap((r) => r ?? []))).toBe('b');
    expect(alembicHead([])).toBeNull();
    expect(() => alembicHead([a, b, c].flatMap((r) => r ?? []))).toThrow(/several heads \(b, c\)/);
  });

  it('escapes for the tools: sa.text binds, Python strings, knex placeholders', () => {
    expect(escapeBinds("status = ':open' AND x::text = 'a'")).toBe("status = '\\:open' AND x::text = 'a'");
    expect(pyString("it's \\")).toBe("'it\\'s \\\\'");
    expect(escapeKnexBindings("data ? 'k'")).toBe("data \\? 'k'");
  });
});

describe('SQL text from input files', () => {
  it('a WHERE must be one expression; a definition one CREATE INDEX; an operator class a name', async () => {
    const { checkPlanSql } = await import('../../src/migrate/validate.js');
    const withWhere = (where: string) =>
      parsePlanInput(JSON.stringify({ recommendations: [{ table: 'public.t', columns: ['a'], include: [], where }] }), 'x');
    const ok = buildPlan([withWhere("status = 'open' AND note <> ';--'")], {}, { dialect: 'postgres' });
    await expect(checkPlanSql(ok)).resolves.toBeUndefined();
    for (const where of ['a IS NULL); DROP TABLE t; SELECT (1', 'a IS NULL --', 'a IS NULL)']) {
      await expect(checkPlanSql(buildPlan([withWhere(where)], {}, { dialect: 'postgres' }))).rejects.toThrow(/is not one SQL expression/);
    }
    const badDrop = parsePlanInput(
      JSON.stringify({
        findings: [
          {
            check: 'unused-index',
            severity: 'warning',
            table: 'public.t',
            index: 'public.i',
            evidence: { definition: 'CREATE INDEX i ON t (a); DROP TABLE t' },
          },
        ],
      }),
      'x',
    );
    await expect(checkPlanSql(buildPlan([badDrop], { dropUnused: true }, { dialect: 'postgres' }))).rejects.toThrow(
      /not one CREATE INDEX statement/,
    );
    expect(() => parseKeyColumn('a text_ops);drop')).toThrow(/is not an operator class name/);
    // an expression key is SQL text too: one expression, nothing more
    const withKey = (key: string) =>
      buildPlan(
        [parsePlanInput(JSON.stringify({ recommendations: [{ table: 'public.t', columns: [key], include: [], where: null }] }), 'x')],
        {},
        { dialect: 'postgres' },
      );
    await expect(checkPlanSql(withKey("(payload ->> 'a')"))).resolves.toBeUndefined();
    for (const key of ['(a), (b)', '(1); DROP TABLE t; SELECT (1)', '(a --)', '(SELECT 1 FROM t)']) {
      const plan = (() => {
        try {
          return withKey(key);
        } catch {
          return null; // refused while reading the name: fine too
        }
      })();
      if (plan !== null) await expect(checkPlanSql(plan)).rejects.toThrow(/is not one SQL expression/);
    }
  });
});
