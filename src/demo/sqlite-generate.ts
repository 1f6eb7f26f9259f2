/**
 * The demo's data for SQLite, generated in JavaScript with the same shapes and skew as
 * generate.ts does in SQL: "random" numbers are a hash of the row number and a salt
 * (so every run makes the same rows), a few tenants and users own most rows (u^k with
 * k > 1), few rows are soft-deleted, statuses are uneven. Times are ISO-8601 text.
 * Pure: sizes in, rows out, table by table.
 */
import { type DemoSizes, TOPICS } from './generate.js';

export type Value = string | number | null;

export interface TableRows {
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Value[])[];
}

/** A uniform number in [0, 1) from an integer and a salt (murmur3's 32-bit finalizer). */
export function u(n: number, salt: number): number {
  let h = (n * 7919 + salt * 1_000_003) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** An id in 1..count, skewed towards small ids when power > 1. */
export function skewed(n: number, salt: number, count: number, power: number): number {
  return 1 + Math.floor(count * u(n, salt) ** power);
}

export function weighted(n: number, salt: number, choices: ReadonlyArray<readonly [string, number]>): string {
  const x = u(n, salt);
  let cumulative = 0;
  for (const [value, weight] of choices.slice(0, -1)) {
    cumulative += weight;
    if (x < cumulative) return value;
  }
  return choices[choices.length - 1]?.[0] ?? '';
}

const EPOCH = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

const timeAt = (n: number, salt: number) => EPOCH + u(n, salt) * 700 * DAY;
const softDeleted = (n: number, salt: number, share: number, after: number) => (u(n, salt) < share ? iso(after + 3 * DAY) : null);
/** Four words of TOPICS: the base-40 digits of n, as generate.ts picks them. */
const topicWords = (n: number) => [1, 40, 1600, 64000].map((d) => TOPICS[Math.floor(n / d) % TOPICS.length]).join(' ');
const range = (count: number) => Array.from({ length: count }, (_, i) => i + 1);

/** Every table's rows, in dependency order. */
export function sqliteDemoRows(sizes: DemoSizes): TableRows[] {
  const tenants = range(sizes.tenants).map((g) => [
    g,
    `Tenant ${g}`,
    weighted(g, 1, [
      ['free', 0.6],
      ['team', 0.3],
      ['enterprise', 0.1],
    ]),
    iso(timeAt(g, 2)),
  ]);
  const apps = range(sizes.clientApps).map((g) => [
    g,
    skewed(g, 3, sizes.tenants, 2),
    `App ${g}`,
    `key${g}`,
    iso(timeAt(g, 4)),
    softDeleted(g, 5, 0.05, timeAt(g, 4)),
  ]);
  const users = range(sizes.users).map((g) => {
    const t = skewed(g, 6, sizes.tenants, 3);
    const created = timeAt(g, 8);
    const status = weighted(g, 7, [
      ['active', 0.85],
      ['invited', 0.1],
      ['disabled', 0.05],
    ]);
    return [
      g,
      t,
      `user${g}@tenant${t}.example.com`,
      `User ${g}`,
      status,
      iso(created),
      iso(created + u(g, 9) * 60 * DAY),
      softDeleted(g, 10, 0.02, created),
    ];
  });
  const conversations = range(sizes.conversations).map((g) => {
    const user = users[skewed(g, 11, sizes.users, 2.5) - 1] as Value[];
    const created = timeAt(g, 14);
    const status = weighted(g, 13, [
      ['open', 0.7],
      ['archived', 0.3],
    ]);
    return [
      g,
      user[1],
      user[0],
      skewed(g, 12, sizes.clientApps, 2),
      `Conversation ${g}`,
      status,
      iso(created),
      iso(created + u(g, 15) * 30 * DAY),
      softDeleted(g, 16, 0.04, created),
    ];
  });
  const created = (conversation: Value[]) => timeAt(conversation[0] as number, 14);
  const messages = range(sizes.messages).map((g) => {
    const c = conversations[skewed(g, 17, sizes.conversations, 2) - 1] as Value[];
    const role = weighted(g, 18, [
      ['user', 0.5],
      ['assistant', 0.48],
      ['system', 0.02],
    ]);
    return [
      g,
      c[1],
      c[0],
      c[2],
      role,
      `Message ${g}: ${topicWords(Math.floor(u(g, 37) * TOPICS.length ** 4))}`,
      Math.floor(20 + u(g, 19) * 600),
      iso(created(c) + u(g, 20) * 30 * DAY),
      softDeleted(g, 21, 0.03, created(c)),
    ];
  });
  const documents = range(sizes.documents).map((g) => {
    const user = users[skewed(g, 22, sizes.users, 2) - 1] as Value[];
    const at = timeAt(g, 26);
    const status = weighted(g, 23, [
      ['ready', 0.8],
      ['pending', 0.1],
      ['processing', 0.05],
      ['failed', 0.05],
    ]);
    const mime = weighted(g, 24, [
      ['application/pdf', 0.5],
      ['text/markdown', 0.3],
      ['text/html', 0.2],
    ]);
    return [
      g,
      user[1],
      user[0],
      `Document ${g}`,
      status,
      mime,
      Math.floor(1000 + u(g, 25) * 5_000_000),
      JSON.stringify({
        source: weighted(g, 41, [
          ['upload', 0.6],
          ['drive', 0.25],
          ['notion', 0.15],
        ]),
        external_id: `ext-${Math.floor(u(g, 42) * 4294967296)}`,
        lang: weighted(g, 43, [
          ['en', 0.7],
          ['de', 0.2],
          ['fr', 0.1],
        ]),
      }),
      iso(at),
      iso(at + 3_600_000),
      softDeleted(g, 27, 0.04, at),
    ];
  });
  const chunks: Value[][] = [];
  for (const d of documents) {
    const id = d[0] as number;
    for (let k = 0; k <= Math.floor(u(id, 28) * 9); k++)
      chunks.push([chunks.length + 1, id, k, `Chunk ${k} of document ${id}`, Math.floor(100 + u(id * 64 + k, 29) * 400), d[8] as string]);
  }
  const groves = range(sizes.groves).map((g) => {
    const app = apps[skewed(g, 30, sizes.clientApps, 2) - 1] as Value[];
    return [g, app[1], app[0], `Grove ${g}`, iso(timeAt(g, 31)), softDeleted(g, 32, 0.05, timeAt(g, 31))];
  });
  const branches = range(sizes.branches).map((g) => {
    const status = weighted(g, 34, [
      ['active', 0.6],
      ['merged', 0.2],
      ['paused', 0.15],
      ['archived', 0.05],
    ]);
    return [g, skewed(g, 33, sizes.groves, 2), `Branch ${g}`, status, iso(timeAt(g, 35)), iso(timeAt(g, 35) + u(g, 36) * 20 * DAY)];
  });
  return [
    { table: 'tenants', columns: ['id', 'name', 'plan', 'created_at'], rows: tenants },
    { table: 'client_apps', columns: ['id', 'tenant_id', 'name', 'api_key', 'created_at', 'deleted_at'], rows: apps },
    { table: 'users', columns: ['id', 'tenant_id', 'email', 'name', 'status', 'created_at', 'last_login_at', 'deleted_at'], rows: users },
    {
      table: 'conversations',
      columns: ['id', 'tenant_id', 'user_id', 'client_app_id', 'title', 'status', 'created_at', 'updated_at', 'deleted_at'],
      rows: conversations,
    },
    {
      table: 'messages',
      columns: ['id', 'tenant_id', 'conversation_id', 'user_id', 'role', 'body', 'token_count', 'created_at', 'deleted_at'],
      rows: messages,
    },
    {
      table: 'documents',
      columns: [
        'id',
        'tenant_id',
        'user_id',
        'title',
        'status',
        'mime_type',
        'size_bytes',
        'metadata',
        'created_at',
        'updated_at',
        'deleted_at',
      ],
      rows: documents,
    },
    { table: 'document_chunks', columns: ['id', 'document_id', 'chunk_index', 'content', 'token_count', 'created_at'], rows: chunks },
    { table: 'groves', columns: ['id', 'tenant_id', 'client_app_id', 'name', 'created_at', 'deleted_at'], rows: groves },
    { table: 'branches', columns: ['id', 'grove_id', 'name', 'status', 'created_at', 'updated_at'], rows: branches },
  ];
}
