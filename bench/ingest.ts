/**
 * Ingest benchmark for `--from log:FILE`: writes a stderr-format server log of
 * LINES_WANTED lines (or more) into a temp dir and measures, in one run, parsing
 * alone (readLogStatements) and the whole pipeline into the WorkloadCollector; then
 * parsing alone of the same log gzipped (node's zlib) and bzip2-compressed (the bzip2
 * program, as the reader decompresses it too).
 * Prints the machine and the numbers; writes them to bench/results/ingest.json.
 *
 *   npm run bench:ingest            (LINES=3000000 npm run bench:ingest for a bigger log)
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { loadParser } from '../src/analysis/parse.js';
import { WorkloadCollector } from '../src/workload/collector.js';
import { readLogStatements } from '../src/workload/sources/log-file.js';

const LINES_WANTED = Number(process.env.LINES ?? 1_000_000);
const TARGET_LINES_PER_SECOND = 50_000;
const RESULTS = fileURLToPath(new URL('./results/ingest.json', import.meta.url));

/** A small deterministic generator (mulberry32), so every run writes the same log. */
function randomSource(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % below;
  };
}

const random = randomSource(42);
const pick = <T>(items: readonly T[]): T => items[random(items.length)] as T;

const SIMPLE_QUERIES: readonly ((n: number) => string)[] = [
  (n) => `SELECT * FROM users WHERE id = ${n}`,
  (n) => `SELECT id, email FROM users WHERE email = 'user${n}@example.com'`,
  (n) => `SELECT id, title FROM documents WHERE tenant_id = ${n % 500} AND deleted_at IS NULL ORDER BY updated_at DESC LIMIT 20`,
  (n) => `SELECT count(*) FROM messages WHERE conversation_id = ${n} AND created_at > '2024-05-${(n % 28) + 1}'`,
  (n) => `UPDATE messages SET read_at = now() WHERE id = ${n} AND user_id = ${n % 9973}`,
  (n) => `INSERT INTO events (user_id, kind, payload) VALUES (${n}, 'click', '{"x": ${n}, "it''s": true}')`,
  (n) => `DELETE FROM sessions WHERE expires_at < now() - interval '${n % 90} days'`,
  (n) =>
    `SELECT c.id, c.title, max(m.created_at) FROM conversations c JOIN messages m ON m.conversation_id = c.id WHERE c.tenant_id = ${n % 500} GROUP BY c.id, c.title`,
  // many shapes, as ORMs write them: IN lists of every length, a schema per tenant
  (n) => `SELECT * FROM tags WHERE id IN (${Array.from({ length: (n % 120) + 1 }, (_, i) => n + i).join(', ')})`,
  (n) => `SELECT value FROM tenant_${n % 400}.settings WHERE key = 'theme' AND user_id = ${n}`,
];
const EXTENDED_QUERIES: readonly [string, (n: number) => string][] = [
  ['SELECT * FROM documents WHERE id = $1 AND tenant_id = $2', (n) => `$1 = '${n}', $2 = '${n % 500}'`],
  ['SELECT id FROM users WHERE email = $1', (n) => `$1 = 'o''brien${n}@example.com'`],
  ['UPDATE document_chunks SET embedding_state = $1 WHERE document_id = $2', (n) => `$1 = 'done', $2 = '${n}'`],
  ['SELECT * FROM branches WHERE grove_id = $1 AND parent_id IS NOT DISTINCT FROM $2', (n) => `$1 = '${n % 300}', $2 = NULL`],
];
const MULTI_LINE_QUERIES: readonly ((n: number) => string[])[] = [
  (n) => [
    'SELECT m.id, m.body',
    '  FROM messages m',
    '  JOIN conversations c ON c.id = m.conversation_id',
    ` WHERE c.tenant_id = ${n % 500}`,
    "   AND m.created_at > now() - interval '7 days'",
    ' ORDER BY m.created_at DESC',
  ],
  (n) => [
    'WITH recent AS (',
    `  SELECT document_id FROM document_chunks WHERE updated_at > '2024-05-01' AND tenant_id = ${n % 500}`,
    ')',
    'SELECT d.* FROM documents d JOIN recent r ON r.document_id = d.id',
  ],
];

function noiseLines(prefix: (withUser: boolean) => string, n: number): string[] {
  switch (n % 6) {
    case 0:
      return [`${prefix(false)}LOG:  connection received: host=10.0.${n % 255}.${n % 7} port=${40000 + (n % 20000)}`];
    case 1:
      return [`${prefix(true)}LOG:  connection authorized: user=app database=shop application_name=web`];
    case 2:
      return [
        `${prefix(true)}LOG:  disconnection: session time: 0:00:${String(n % 60).padStart(2, '0')}.120 user=app database=shop host=10.0.0.1 port=5432`,
      ];
    case 3:
      return [
        `${prefix(false)}LOG:  checkpoint starting: time`,
        `${prefix(false)}LOG:  checkpoint complete: wrote ${n % 900} buffers (0.${n % 9}%); 0 WAL file(s) added, 0 removed, 1 recycled`,
      ];
    case 4:
      return [
        `${prefix(false)}LOG:  automatic vacuum of table "shop.public.messages": index scans: 1`,
        `\tpages: 0 removed, ${n % 5000} remain, 12 scanned (0.24% of total)`,
        `\ttuples: ${n % 100} removed, 88000 remain, 0 are dead but not yet removable`,
      ];
    default:
      return [
        `${prefix(true)}ERROR:  duplicate key value violates unique constraint "users_email_key"`,
        `${prefix(true)}DETAIL:  Key (email)=(user${n}@example.com) already exists.`,
        `${prefix(true)}STATEMENT:  INSERT INTO users (email) VALUES ('user${n}@example.com')`,
      ];
  }
}

/** One burst of log lines from one backend, with the mix of a log_min_duration_statement = 0 server. */
function logBurst(): string[] {
  const pid = 1000 + random(64);
  const ms = () => `${random(40)}.${String(random(1000)).padStart(3, '0')}`;
  const prefix = (withUser: boolean) =>
    `2024-05-01 10:${String(random(60)).padStart(2, '0')}:00.${String(random(1000)).padStart(3, '0')} UTC [${pid}] ${withUser ? 'app@shop ' : ''}`;
  const n = random(1_000_000);
  const kind = random(100);
  if (kind < 50) return [`${prefix(true)}LOG:  duration: ${ms()} ms  statement: ${pick(SIMPLE_QUERIES)(n)}`];
  if (kind < 75) {
    const [sql, params] = pick(EXTENDED_QUERIES);
    const detail = `${prefix(true)}DETAIL:  parameters: ${params(n)}`;
    return [
      `${prefix(true)}LOG:  duration: ${ms()} ms  parse <unnamed>: ${sql}`,
      `${prefix(true)}LOG:  duration: ${ms()} ms  bind <unnamed>: ${sql}`,
      detail,
      `${prefix(true)}LOG:  duration: ${ms()} ms  execute <unnamed>: ${sql}`,
      detail,
    ];
  }
  if (kind < 88) {
    const [first, ...rest] = pick(MULTI_LINE_QUERIES)(n);
    return [`${prefix(true)}LOG:  duration: ${ms()} ms  statement: ${first}`, ...rest.map((line) => `\t${line}`)];
  }
  return noiseLines(prefix, n);
}

async function writeLog(path: string): Promise<number> {
  const out = createWriteStream(path);
  let lines = 0;
  while (lines < LINES_WANTED) {
    const batch: string[] = [];
    while (batch.length < 20_000) batch.push(...logBurst());
    lines += batch.length;
    if (!out.write(`${batch.join('\n')}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return lines;
}

function heapMb(): number {
  return Math.round(process.memoryUsage().heapUsed / 2 ** 20);
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await run();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Parsing alone of the log compressed by `compress` (not timed): lines/s of the text it holds, and the file's size. */
async function compressedRate(
  path: string,
  lines: number,
  statements: number,
  name: string,
  compress: (to: string) => Promise<unknown>,
): Promise<{ megabytes: number; seconds: number; linesPerSecond: number }> {
  const to = `${path}.${name}`;
  await compress(to);
  const run = await timed(async () => {
    let count = 0;
    for await (const _ of readLogStatements(to)) count++;
    return count;
  });
  if (run.result !== statements) throw new Error(`${name}: ${run.result} statements, the plain log has ${statements}`);
  const { size } = await stat(to);
  await rm(to);
  return { megabytes: +(size / 2 ** 20).toFixed(1), seconds: +run.seconds.toFixed(2), linesPerSecond: Math.round(lines / run.seconds) };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(os.tmpdir(), 'indexwise-bench-'));
  try {
    const path = join(dir, 'postgresql.log');
    const lines = await writeLog(path);
    const { size } = await stat(path);
    await loadParser();
    const heapBefore = heapMb();
    const parsing = await timed(async () => {
      let statements = 0;
      let peakHeapMb = 0;
      for await (const _ of readLogStatements(path)) {
        if (++statements % 50_000 === 0) peakHeapMb = Math.max(peakHeapMb, heapMb());
      }
      return { statements, peakHeapMb };
    });
    const endToEnd = await timed(async () => {
      const collector = new WorkloadCollector();
      for await (const statement of readLogStatements(path)) collector.add(statement);
      return { stats: { ...collector.stats }, fingerprints: collector.result().queries.length };
    });
    const compressed = {
      gzip: await compressedRate(path, lines, parsing.result.statements, 'gzip', (to) =>
        pipeline(createReadStream(path), createGzip(), createWriteStream(to)),
      ),
      bzip2: await compressedRate(path, lines, parsing.result.statements, 'bzip2', async (to) => {
        execFileSync('bzip2', ['-k', path]);
        await rename(`${path}.bz2`, to);
      }),
    };
    const cpus = os.cpus();
    const report = {
      machine: {
        cpus: cpus.length,
        model: cpus[0]?.model ?? 'unknown',
        totalMemoryGb: +(os.totalmem() / 2 ** 30).toFixed(1),
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
      },
      log: { lines, megabytes: +(size / 2 ** 20).toFixed(1), statements: parsing.result.statements },
      parseOnly: {
        seconds: +parsing.seconds.toFixed(2),
        linesPerSecond: Math.round(lines / parsing.seconds),
        statementsPerSecond: Math.round(parsing.result.statements / parsing.seconds),
        heapMbBefore: heapBefore,
        peakHeapMbWhileParsing: parsing.result.peakHeapMb,
      },
      endToEnd: {
        seconds: +endToEnd.seconds.toFixed(2),
        linesPerSecond: Math.round(lines / endToEnd.seconds),
        parsesPerSecond: Math.round(endToEnd.result.stats.parses / endToEnd.seconds),
        ...endToEnd.result.stats,
        fingerprints: endToEnd.result.fingerprints,
      },
      parseOnlyCompressed: compressed,
      targetLinesPerSecond: TARGET_LINES_PER_SECOND,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      measuredAt: new Date().toISOString(),
    };
    console.log(JSON.stringify(report, null, 2));
    console.log(report.endToEnd.linesPerSecond >= TARGET_LINES_PER_SECOND ? 'end-to-end: at or above target' : 'end-to-end: BELOW target');
    await mkdir(dirname(RESULTS), { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
