/**
 * Deterministic data for the demo application, generated inside the database with
 * generate_series. "Random" numbers come from hashint8 of the row number and a
 * salt, so every run (PostgreSQL 12–18, PGlite) produces the same rows.
 * Skew: a few tenants and users own most rows (u^k with k > 1), most rows are
 * not soft-deleted, statuses are unevenly distributed.
 */

export interface DemoSizes {
  readonly tenants: number;
  readonly clientApps: number;
  readonly users: number;
  readonly conversations: number;
  readonly messages: number;
  readonly documents: number;
  readonly groves: number;
  readonly branches: number;
}

/** Row counts at a scale (1 = about 300,000 messages and 600,000 rows in all). */
export function demoSizes(scale: number): DemoSizes {
  const n = (base: number) => Math.max(1, Math.round(base * scale));
  return {
    tenants: Math.max(5, Math.round(50 * Math.sqrt(scale))),
    clientApps: n(200),
    users: n(20_000),
    conversations: n(60_000),
    messages: n(300_000),
    documents: n(30_000),
    groves: n(2_000),
    branches: n(20_000),
  };
}

/** A uniform number in [0, 1) from an integer SQL expression and a salt. */
function u(expr: string, salt: number): string {
  return `((hashint8((${expr})::bigint * 7919 + ${salt})::bigint + 2147483648)::float8 / 4294967296.0)`;
}

/** An id in 1..count, skewed towards small ids when power > 1. */
function skewed(expr: string, salt: number, count: string, power: number): string {
  return `(1 + floor(${count} * power(${u(expr, salt)}, ${power})))::bigint`;
}

/** A value picked from a weighted list, e.g. [['active', 0.85], ['invited', 0.1], ['disabled', 0.05]]. */
function weighted(expr: string, salt: number, choices: ReadonlyArray<readonly [string, number]>): string {
  let cumulative = 0;
  const branches = choices.slice(0, -1).map(([value, weight]) => {
    cumulative += weight;
    return `WHEN ${u(expr, salt)} < ${cumulative} THEN '${value}'`;
  });
  return `CASE ${branches.join(' ')} ELSE '${choices[choices.length - 1]?.[0]}' END`;
}

/** Words of the messages' text: what a search looks for (a phrase of two is rare enough to be worth an index). */
export const TOPICS = [
  'invoice',
  'refund',
  'deploy',
  'rollback',
  'migration',
  'schema',
  'latency',
  'timeout',
  'billing',
  'contract',
  'renewal',
  'onboarding',
  'password',
  'login',
  'export',
  'import',
  'report',
  'dashboard',
  'webhook',
  'payload',
  'retry',
  'queue',
  'cache',
  'cluster',
  'replica',
  'backup',
  'restore',
  'quota',
  'upgrade',
  'pricing',
  'discount',
  'summary',
  'translate',
  'draft',
  'review',
  'schedule',
  'meeting',
  'search',
  'upload',
  'permission',
];

/** Four words of TOPICS: the base-40 digits of `n`, a number in [0, 40⁴) drawn once per row. */
function topicWords(n: string): string {
  const words = `ARRAY[${TOPICS.map((w) => `'${w}'`).join(', ')}]`;
  return [1, 40, 1600, 64000].map((d) => `(${words})[1 + ${n} / ${d} % ${TOPICS.length}]`).join(" || ' ' || ");
}

const EPOCH = `timestamptz '2024-01-01 00:00:00+00'`;
const DAYS = 700;

function timeAt(expr: string, salt: number): string {
  return `${EPOCH} + ${u(expr, salt)} * interval '${DAYS} days'`;
}

function softDeleted(expr: string, salt: number, share: number, after: string): string {
  return `CASE WHEN ${u(expr, salt)} < ${share} THEN ${after} + interval '3 days' END`;
}

export interface GeneratorStep {
  readonly table: string;
  readonly sql: string;
  /** Bound parameters: row counts only. */
  readonly params: readonly number[];
}

/** The INSERT … SELECT statements that fill the demo tables, in dependency order. */
export function generatorSteps(sizes: DemoSizes): GeneratorStep[] {
  const g = 'g';
  return [
    {
      table: 'tenants',
      params: [sizes.tenants],
      sql: `INSERT INTO tenants (id, name, plan, created_at)
        SELECT g, 'Tenant ' || g, ${weighted(g, 1, [
          ['free', 0.6],
          ['team', 0.3],
          ['enterprise', 0.1],
        ])}, ${timeAt(g, 2)}
        FROM generate_series(1, $1::int) g`,
    },
    {
      table: 'client_apps',
      params: [sizes.clientApps, sizes.tenants],
      sql: `INSERT INTO client_apps (id, tenant_id, name, api_key, created_at, deleted_at)
        SELECT g, ${skewed(g, 3, '$2::int', 2)}, 'App ' || g, md5('key' || g), ${timeAt(g, 4)},
               ${softDeleted(g, 5, 0.05, timeAt(g, 4))}
        FROM generate_series(1, $1::int) g`,
    },
    {
      table: 'users',
      params: [sizes.users, sizes.tenants],
      sql: `INSERT INTO users (id, tenant_id, email, name, status, created_at, last_login_at, deleted_at)
        SELECT g, t, 'user' || g || '@tenant' || t || '.example.com', 'User ' || g,
               ${weighted(g, 7, [
                 ['active', 0.85],
                 ['invited', 0.1],
                 ['disabled', 0.05],
               ])},
               ${timeAt(g, 8)}, ${timeAt(g, 8)} + ${u(g, 9)} * interval '60 days',
               ${softDeleted(g, 10, 0.02, timeAt(g, 8))}
        FROM (SELECT g, ${skewed(g, 6, '$2::int', 3)} AS t FROM generate_series(1, $1::int) g) s`,
    },
    {
      table: 'conversations',
      params: [sizes.conversations, sizes.users, sizes.clientApps],
      sql: `INSERT INTO conversations (id, tenant_id, user_id, client_app_id, title, status, created_at, updated_at, deleted_at)
        SELECT g, usr.tenant_id, usr.id, ${skewed(g, 12, '$3::int', 2)}, 'Conversation ' || g,
               ${weighted(g, 13, [
                 ['open', 0.7],
                 ['archived', 0.3],
               ])},
               ${timeAt(g, 14)}, ${timeAt(g, 14)} + ${u(g, 15)} * interval '30 days',
               ${softDeleted(g, 16, 0.04, timeAt(g, 14))}
        FROM generate_series(1, $1::int) g
        JOIN users usr ON usr.id = ${skewed(g, 11, '$2::int', 2.5)}`,
    },
    {
      table: 'messages',
      params: [sizes.messages, sizes.conversations],
      sql: `INSERT INTO messages (id, tenant_id, conversation_id, user_id, role, body, token_count, created_at, deleted_at)
        SELECT g, c.tenant_id, c.id, c.user_id,
               ${weighted(g, 18, [
                 ['user', 0.5],
                 ['assistant', 0.48],
                 ['system', 0.02],
               ])},
               'Message ' || g || ': ' || ${topicWords('pick.n')},
               (20 + ${u(g, 19)} * 600)::int,
               c.created_at + ${u(g, 20)} * interval '30 days',
               ${softDeleted(g, 21, 0.03, 'c.created_at')}
        FROM generate_series(1, $1::int) g
        CROSS JOIN LATERAL (SELECT floor(${u(g, 37)} * ${TOPICS.length ** 4})::int AS n) pick
        JOIN conversations c ON c.id = ${skewed(g, 17, '$2::int', 2)}`,
    },
    {
      table: 'documents',
      params: [sizes.documents, sizes.users],
      sql: `INSERT INTO documents (id, tenant_id, user_id, title, status, mime_type, size_bytes, metadata, created_at, updated_at, deleted_at)
        SELECT g, usr.tenant_id, usr.id, 'Document ' || g,
               ${weighted(g, 23, [
                 ['ready', 0.8],
                 ['pending', 0.1],
                 ['processing', 0.05],
                 ['failed', 0.05],
               ])},
               ${weighted(g, 24, [
                 ['application/pdf', 0.5],
                 ['text/markdown', 0.3],
                 ['text/html', 0.2],
               ])},
               (1000 + ${u(g, 25)} * 5000000)::int,
               jsonb_build_object('source', ${weighted(g, 41, [
                 ['upload', 0.6],
                 ['drive', 0.25],
                 ['notion', 0.15],
               ])}, 'external_id', 'ext-' || (hashint8(g::bigint * 7919 + 42)::bigint & 4294967295), 'lang', ${weighted(g, 43, [
                 ['en', 0.7],
                 ['de', 0.2],
                 ['fr', 0.1],
               ])}),
               ${timeAt(g, 26)}, ${timeAt(g, 26)} + interval '1 hour',
               ${softDeleted(g, 27, 0.04, timeAt(g, 26))}
        FROM generate_series(1, $1::int) g
        JOIN users usr ON usr.id = ${skewed(g, 22, '$2::int', 2)}`,
    },
    {
      table: 'document_chunks',
      params: [],
      sql: `INSERT INTO document_chunks (id, document_id, chunk_index, content, token_count, created_at)
        SELECT row_number() OVER (ORDER BY d.id, k), d.id, k, 'Chunk ' || k || ' of document ' || d.id,
               (100 + ${u('d.id * 64 + k', 29)} * 400)::int, d.created_at
        FROM documents d, generate_series(0, floor(${u('d.id', 28)} * 9)::int) k`,
    },
    {
      table: 'groves',
      params: [sizes.groves, sizes.clientApps],
      sql: `INSERT INTO groves (id, tenant_id, client_app_id, name, created_at, deleted_at)
        SELECT g, a.tenant_id, a.id, 'Grove ' || g, ${timeAt(g, 31)}, ${softDeleted(g, 32, 0.05, timeAt(g, 31))}
        FROM generate_series(1, $1::int) g
        JOIN client_apps a ON a.id = ${skewed(g, 30, '$2::int', 2)}`,
    },
    {
      table: 'branches',
      params: [sizes.branches, sizes.groves],
      sql: `INSERT INTO branches (id, grove_id, name, status, created_at, updated_at)
        SELECT g, ${skewed(g, 33, '$2::int', 2)}, 'Branch ' || g,
               ${weighted(g, 34, [
                 ['active', 0.6],
                 ['merged', 0.2],
                 ['paused', 0.15],
                 ['archived', 0.05],
               ])},
               ${timeAt(g, 35)}, ${timeAt(g, 35)} + ${u(g, 36)} * interval '20 days'
        FROM generate_series(1, $1::int) g`,
    },
  ];
}
