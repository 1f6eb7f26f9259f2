/**
 * `npm run bench:fleet`: `indexwise health --fleet` over 200 small databases on one local
 * server (scripts/bench.sh starts a throwaway cluster). The real CLI runs in a child under
 * /usr/bin/time: wall time and peak RSS of the whole command. Results in bench/results/fleet.{json,md}.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DATABASES = Number(process.env.INDEXWISE_BENCH_FLEET_SIZE ?? 200);
const CONCURRENCY = Number(process.env.INDEXWISE_BENCH_FLEET_CONCURRENCY ?? 4);
const adminUrl = process.env.INDEXWISE_BENCH_PG_URL;
if (!adminUrl) throw new Error('INDEXWISE_BENCH_PG_URL is not set: run npm run bench:fleet');

/** Three tenant schemas (three groups), a few tables each, a duplicate index to find. */
const SCHEMAS = [
  `CREATE TABLE orders (id int PRIMARY KEY, customer int, status text); CREATE INDEX o1 ON orders (customer); CREATE INDEX o2 ON orders (customer);
   INSERT INTO orders SELECT g, g % 50, 'new' FROM generate_series(1, 200) g; ANALYZE;`,
  `CREATE TABLE users (id int PRIMARY KEY, email text); CREATE TABLE logins (id int PRIMARY KEY, user_id int REFERENCES users, at timestamptz);
   INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 200) g; ANALYZE;`,
  `CREATE TABLE events (id bigint PRIMARY KEY, kind text, at timestamptz); CREATE INDEX e1 ON events (at, kind);
   INSERT INTO events SELECT g, 'k', now() FROM generate_series(1, 200) g; ANALYZE;`,
];

const dbUrl = (name: string) => {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

async function createFleet(names: readonly string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const name of names) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  for (let i = 0; i < names.length; i += 8) {
    await Promise.all(
      names.slice(i, i + 8).map(async (name, k) => {
        const client = new pg.Client({ connectionString: dbUrl(name) });
        await client.connect();
        await client.query(SCHEMAS[(i + k) % SCHEMAS.length] as string);
        await client.end();
      }),
    );
  }
}

async function dropFleet(names: readonly string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.end();
}

async function main(): Promise<void> {
  const names = Array.from({ length: DATABASES }, (_, i) => `ix_bench_fleet_${String(i + 1).padStart(3, '0')}`);
  const dir = mkdtempSync(join(tmpdir(), 'ix-bench-fleet-'));
  process.stderr.write(`creating ${DATABASES} databases…\n`);
  const setupStarted = performance.now();
  await dropFleet(names);
  await createFleet(names);
  const setupSeconds = (performance.now() - setupStarted) / 1000;
  const fleetFile = join(dir, 'fleet.json');
  writeFileSync(fleetFile, JSON.stringify({ databases: Object.fromEntries(names.map((n) => [n, { url: dbUrl(n) }])) }));
  const load = loadavg()[0] ?? 0;
  process.stderr.write(`running indexwise health --fleet over ${DATABASES} databases (load average ${load.toFixed(2)})…\n`);
  // /usr/bin/time -f: elapsed seconds and the maximum resident set size (kB) of the CLI process
  const run = spawnSync(
    '/usr/bin/time',
    ['-f', 'TIME %e %M', 'node', 'bin/indexwise.js', 'health', '--fleet', fleetFile, '--concurrency', String(CONCURRENCY), '--json', '-q'],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 512 * 2 ** 20 },
  );
  const timing = /TIME ([\d.]+) (\d+)/.exec(run.stderr);
  if (run.status !== 0 || timing === null) throw new Error(`indexwise health --fleet failed (${run.status}): ${run.stderr.slice(-2000)}`);
  const json = JSON.parse(run.stdout) as { databases: { ok: boolean; result?: { findings: unknown[] } }[]; groups: unknown[] };
  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', memoryGb: Math.round(totalmem() / 2 ** 30), loadAverage: load },
    databases: DATABASES,
    concurrency: CONCURRENCY,
    ok: json.databases.filter((d) => d.ok).length,
    groups: json.groups.length,
    findings: json.databases.reduce((sum, d) => sum + (d.result?.findings.length ?? 0), 0),
    seconds: Number(timing[1]),
    peakRssMb: Math.round(Number(timing[2]) / 1024),
    setupSeconds: Math.round(setupSeconds),
    goalSeconds: 60,
  };
  const results = join(ROOT, 'bench', 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'fleet.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(
    join(results, 'fleet.md'),
    `# bench:fleet (${result.date})\n\n\`indexwise health --fleet\` over ${DATABASES} small databases on one local PostgreSQL 15, --concurrency ${CONCURRENCY}.\n\n` +
      `| databases | ok | schema groups | findings | seconds | peak RSS | load average at start |\n|---:|---:|---:|---:|---:|---:|---:|\n` +
      `| ${DATABASES} | ${result.ok} | ${result.groups} | ${result.findings} | ${result.seconds.toFixed(1)} | ${result.peakRssMb} MB | ${load.toFixed(2)} |\n\n` +
      `Machine: ${result.machine.cpus} × ${result.machine.cpu}, ${result.machine.memoryGb} GB. Goal: under ${result.goalSeconds} s.\n`,
  );
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  await dropFleet(names);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
