/**
 * `health --fleet` and `advise --fleet` over 20 real databases: three schema groups, one
 * unreachable, one read through a read-only role. Results per database and per group.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { runCli, startCli } from '../helpers/cli.js';
import { createTestDatabase, hasPostgres } from '../helpers/postgres.js';
import { createTestFleet, GROUP_SIZES, READ_ONLY_ENV, READ_ONLY_MEMBER, type TestFleet, UNREACHABLE } from './fixture.js';

interface FleetJson<T> {
  databases: { name: string; ok: boolean; error?: string; result?: T }[];
  groups: { name: string; schemaFingerprint: string; members: string[]; advice?: GroupJson }[];
}
interface HealthJson {
  checks: string[];
  findings: { check: string; table: string | null }[];
}
interface AdviceJson {
  recommendations: { sql: string; table: string; name: string }[];
  cost: { before: number; after: number };
}
interface TrialJson {
  after: { trialIndexes: string[] };
  comparison: { queries: { fingerprint: string; indexesAfter: string[]; planChange: string }[] };
}
interface GroupJson {
  representative: string;
  differing: { member: string; onlyInOwn: string[]; onlyInGroup: string[] }[];
  report: AdviceJson;
}

describe.skipIf(!hasPostgres)('fleets: health and advise over 20 databases', () => {
  let fleet: TestFleet;
  let adviceRun: { code: number | null; json: FleetJson<AdviceJson>; stdout: string };
  beforeAll(async () => {
    fleet = await createTestFleet();
    const run = await runCli(['advise', '--fleet', fleet.file, '--json', '-q'], { env: fleet.env });
    adviceRun = { code: run.code, json: JSON.parse(run.stdout) as FleetJson<AdviceJson>, stdout: run.stdout };
  });
  afterAll(async () => {
    await fleet?.drop();
  });

  const groupOf = (json: FleetJson<unknown>, member: string) => json.groups.find((g) => g.members.includes(member));

  let healthJson: FleetJson<HealthJson>;
  /** In-process runs the queued ones are compared with (analyze: orders-1,2; snapshot: users; compare: users-1,3). */
  const inProcess: { analyze?: string; snapshot?: string; compare?: string } = {};
  it('health: one result per database, the unreachable one failed, the rest grouped by schema; exit 1', async () => {
    const run = await runCli(['health', '--fleet', fleet.file, '--json'], { env: fleet.env });
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as FleetJson<HealthJson>;
    healthJson = json;
    expect(json.databases.map((d) => d.name)).toHaveLength(20);
    const gone = json.databases.find((d) => d.name === UNREACHABLE);
    expect(gone).toMatchObject({ ok: false });
    expect(gone?.error).toMatch(/connection refused/);
    for (const d of json.databases.filter((x) => x.name !== UNREACHABLE)) {
      expect(d.ok, `${d.name}: ${d.error}`).toBe(true);
      expect(d.result?.checks).toContain('unused-index');
    }
    expect(json.groups.map((g) => g.members.length).sort()).toEqual(Object.values(GROUP_SIZES).sort());
    for (const [group, members] of Object.entries(fleet.members))
      expect(groupOf(json, members[0] as string)?.members, group).toEqual(members);
    expect(groupOf(json, READ_ONLY_MEMBER)?.members).toEqual(fleet.members.events);
    // the result is the single-database JSON: the same findings as `health --db` on that database
    const single = await runCli(['health', '--db', fleet.databases.get('users-2')?.url ?? '', '--json']);
    expect(json.databases.find((d) => d.name === 'users-2')?.result).toEqual(JSON.parse(single.stdout));
    expect(run.stderr).toMatch(/20\/20/);
  });

  it('health: --only-db and --exclude-db pick members by name or tag; the text summary names each', async () => {
    const run = await runCli(['health', '--fleet', fleet.file, '--only-db', 'events,gone', '--exclude-db', 'us', '-q'], { env: fleet.env });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/3 databases, 1 failed, 1 schema group/);
    expect(run.stdout).toMatch(/^events-1\s+ok\s+schema-/m);
    expect(run.stdout).toMatch(/^gone\s+failed\s+cannot connect/m);
    expect(run.stdout).not.toMatch(/^events-2/m);
  });

  it('advise: per database its own advice, per group one advice on the merged workload; exit 1 for the failed one', () => {
    expect(adviceRun.code).toBe(1);
    const { json } = adviceRun;
    expect(json.databases.filter((d) => !d.ok).map((d) => d.name)).toEqual([UNREACHABLE]);
    expect(json.groups).toHaveLength(3);
    for (const group of json.groups) {
      const advice = group.advice as GroupJson;
      expect(group.members).toContain(advice.representative);
      expect(advice.report.recommendations.length).toBeGreaterThan(0);
      expect(advice.report.cost.after).toBeLessThan(advice.report.cost.before);
      // every index a member's own advice wants is in its group's advice, or the member is named as differing
      for (const member of group.members) {
        const own = json.databases.find((d) => d.name === member)?.result as AdviceJson;
        const groupSql = new Set(advice.report.recommendations.map((r) => r.sql));
        const differs = own.recommendations.some((r) => !groupSql.has(r.sql)) || own.recommendations.length !== groupSql.size;
        expect(
          advice.differing.some((d) => d.member === member),
          member,
        ).toBe(differs);
      }
    }
    // the read-only role could read and cost its database
    expect(json.databases.find((d) => d.name === READ_ONLY_MEMBER)?.ok).toBe(true);
  });

  it("a group's advice on the merged workload equals the advice for all its members' queries in one file, on the representative", async () => {
    const group = groupOf(adviceRun.json, 'orders-1');
    const advice = group?.advice as GroupJson;
    const concatenated = (group?.members ?? []).map((m) => fleet.workloads.get(m)).join('');
    const file = join(fleet.dir, 'orders-all.sql');
    writeFileSync(file, concatenated);
    const single = await runCli([
      'advise',
      '--db',
      fleet.databases.get(advice.representative)?.url ?? '',
      '--from',
      `sql:${file}`,
      '--json',
      '-q',
    ]);
    const report = JSON.parse(single.stdout) as AdviceJson;
    expect(advice.report.recommendations).toEqual(report.recommendations);
    expect(advice.report.cost).toEqual(report.cost);
    // and it is not simply one member's advice: the members each miss some of it
    expect(advice.differing.length).toBeGreaterThan(0);
  });

  it('report --fleet writes a page with a row per database and a section per group, linking each database’s own report', async () => {
    const out = join(fleet.dir, 'report');
    const run = await runCli(['report', '--fleet', fleet.file, '--only-db', 'users-1,users-2,gone', '--out', out, '-q']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/wrote .*index\.html and 2 database reports\ngone failed: cannot connect/);
    const page = readFileSync(join(out, 'index.html'), 'utf8');
    for (const name of ['users-1', 'users-2']) {
      expect(page).toContain(`<a href="${name}.html">${name}</a>`);
      expect(readFileSync(join(out, `${name}.html`), 'utf8')).toMatch(/<html/);
    }
    expect(page).toMatch(/<td>gone<\/td><td><\/td><td colspan="6" class="failed">failed: cannot connect/);
    expect(page).toMatch(/<h2>schema-\w{8}<\/h2><p>Schema fingerprint <code>\w{16}<\/code>: 2 databases/);
    expect(existsSync(join(out, 'gone.html'))).toBe(false);
  });

  it('analyze and monitor snapshot --fleet: the single-database result per member', async () => {
    const analyze = await runCli(['analyze', '--fleet', fleet.file, '--only-db', 'orders-1,orders-2', '--json', '-q']);
    expect(analyze.code).toBe(0);
    inProcess.analyze = analyze.stdout;
    const analyzed = JSON.parse(analyze.stdout) as FleetJson<{
      workload: { queries: unknown[] };
      analysis: { tables: { table: { name: string } }[] };
    }>;
    expect(analyzed.databases.map((d) => [d.name, d.result?.analysis.tables.map((t) => t.table.name)])).toEqual([
      ['orders-1', ['orders']],
      ['orders-2', ['orders']],
    ]);
    const store = join(fleet.dir, 'monitor.sqlite');
    const snap = await runCli(['monitor', 'snapshot', '--fleet', fleet.file, '--only-db', 'users', '--store', store, '--json', '-q']);
    expect(snap.code).toBe(0);
    inProcess.snapshot = snap.stdout;
    const snapped = JSON.parse(snap.stdout) as FleetJson<{ database: string; tables: { table: string }[] }>;
    expect(snapped.databases.map((d) => d.result?.tables.map((t) => t.table))).toEqual(fleet.members.users.map(() => ['users']));
    expect(new Set(snapped.databases.map((d) => d.result?.database)).size).toBe(6);
    expect(snapped.groups.map((g) => g.members)).toEqual([fleet.members.users]);
  });

  it('queue: 3 workers share the run through pg-boss; a worker killed mid-job loses no database; the results equal the in-process run', async () => {
    const central = await createTestDatabase('fleet_queue', []);
    // users-3's table is locked: the worker that takes it waits there, and is killed there
    const locker = new pg.Client({ connectionString: fleet.databases.get('users-3')?.url });
    await locker.connect();
    await locker.query('BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    const workers: ReturnType<typeof startCli>[] = [];
    try {
      const queued = await runCli(['health', '--fleet', fleet.file, '--queue', central.url, '--db-timeout', '6s', '--json', '-q']);
      expect(queued.code, queued.stderr).toBe(0);
      const { run, jobs } = JSON.parse(queued.stdout) as { run: string; jobs: number };
      expect(jobs).toBe(20);
      const took = new Map<number, string[]>();
      const victim = new Promise<number>((resolve) => {
        for (let i = 0; i < 3; i++) {
          const worker = startCli(['worker', '--queue', central.url, '--concurrency', '1', '--maintenance-interval', '1'], {
            env: fleet.env,
          });
          workers.push(worker);
          worker.child.stderr?.on('data', (data: Buffer) => {
            for (const [, name] of String(data).matchAll(/taking (\S+) /g)) {
              took.set(i, [...(took.get(i) ?? []), name as string]);
              if (name === 'users-3') resolve(i);
            }
          });
        }
      });
      const killed = await victim;
      workers[killed]?.child.kill('SIGKILL');
      await locker.query('ROLLBACK');
      const status = await runCli(['fleet', 'status', '--queue', central.url, '--run', run, '--wait', '--json']);
      const json = JSON.parse(status.stdout) as FleetJson<HealthJson> & { done: number; pending: string[]; retried: number };
      expect(json.pending).toEqual([]);
      expect(json.done).toBe(20);
      expect(json.retried).toBeGreaterThanOrEqual(1);
      expect(status.code).toBe(1); // the unreachable database
      // every worker took a share
      expect([...took.values()].every((names) => names.length > 0)).toBe(true);
      // statsAgeDays is the age of the statistics when each run read them: the clock, not the result
      const withoutClock = (value: unknown) =>
        JSON.parse(JSON.stringify(value), (key, v: unknown) => (key === 'statsAgeDays' ? undefined : v));
      expect(withoutClock(json.databases)).toEqual(withoutClock(healthJson.databases));
      expect(json.groups).toEqual(healthJson.groups);
    } finally {
      await locker.end();
      for (const worker of workers) worker.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.done));
      await central.drop();
    }
  });

  it('queue: advise --fleet --queue, a job per member then one per schema group; the results equal the in-process run', async () => {
    const central = await createTestDatabase('fleet_queue_advise', []);
    const workers: ReturnType<typeof startCli>[] = [];
    try {
      const queued = await runCli(['advise', '--fleet', fleet.file, '--only-db', 'users,gone', '--queue', central.url, '--json', '-q']);
      expect(queued.code, queued.stderr).toBe(0);
      const { run, jobs } = JSON.parse(queued.stdout) as { run: string; jobs: number };
      expect(jobs).toBe(7);
      for (let i = 0; i < 2; i++)
        workers.push(startCli(['worker', '--queue', central.url, '--concurrency', '2', '--maintenance-interval', '1'], { env: fleet.env }));
      const status = await runCli(['fleet', 'status', '--queue', central.url, '--run', run, '--wait', '--json']);
      expect(status.code).toBe(1); // the unreachable database
      const json = JSON.parse(status.stdout) as FleetJson<AdviceJson> & { command: string; done: number; pending: string[] };
      expect([json.command, json.done, json.pending]).toEqual(['advise', 7, []]);
      // the timings are the clock's, not the result's
      const withoutClock = (value: unknown) =>
        JSON.parse(JSON.stringify(value), (key, v: unknown) => (key === 'seconds' || key === 'phases' ? undefined : v));
      const inProcess = await runCli(['advise', '--fleet', fleet.file, '--only-db', 'users,gone', '--json', '-q']);
      const inProcessJson = JSON.parse(inProcess.stdout) as FleetJson<AdviceJson>;
      expect(withoutClock(json.databases)).toEqual(withoutClock(inProcessJson.databases));
      expect(withoutClock(json.groups)).toEqual(withoutClock(inProcessJson.groups));
      expect(json.groups[0]?.advice?.report.recommendations.length).toBeGreaterThan(0);
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.done));
      await central.drop();
    }
  });

  it('verify --fleet --trial: each member tries its group’s advice (rolled back); a saved --out is the baseline verify compare --fleet uses', async () => {
    const adviceFile = join(fleet.dir, 'fleet-advice-verify.json');
    writeFileSync(adviceFile, adviceRun.stdout);
    const base = join(fleet.dir, 'verify-base.json');
    const only = ['--only-db', 'users-1,users-2,events-3,gone', '--runs', '1'];
    const trial = await runCli(['verify', '--fleet', fleet.file, ...only, '--trial', adviceFile, '--out', base, '--json', '-q'], {
      env: fleet.env,
    });
    expect(trial.code, trial.stderr).toBe(1);
    const json = JSON.parse(trial.stdout) as FleetJson<TrialJson>;
    const byName = new Map(json.databases.map((d) => [d.name, d]));
    expect([...byName.keys()]).toEqual(['users-1', 'users-2', 'events-3', 'gone']);
    // the read-only role may measure but not build: that member fails, the others finish
    expect(byName.get(READ_ONLY_MEMBER)?.error).toMatch(/owner|permission/);
    expect(byName.get(UNREACHABLE)?.error).toMatch(/in no schema group of .*fleet-advice-verify\.json/);
    const wanted = (groupOf(adviceRun.json, 'users-1')?.advice as GroupJson).report.recommendations.map((r) => r.name);
    expect(wanted.length).toBeGreaterThan(0);
    for (const member of ['users-1', 'users-2']) {
      const result = byName.get(member)?.result as TrialJson;
      expect(result.after.trialIndexes.map((sql) => wanted.find((name) => sql.includes(name)))).toEqual(wanted);
      // the plans measured with the trial indexes read them
      const used = new Set(result.comparison.queries.flatMap((q) => q.indexesAfter));
      expect(
        wanted.some((name) => used.has(name)),
        member,
      ).toBe(true);
    }
    // a member that failed has no schema fingerprint: it is in no group
    expect(json.groups.map((g) => g.members)).toEqual([['users-1', 'users-2']]);
    // each result is the single-database verify --trial --json: the same queries, the same indexes tried
    const groupReport = join(fleet.dir, 'users-advice.json');
    writeFileSync(groupReport, JSON.stringify((groupOf(adviceRun.json, 'users-2')?.advice as GroupJson).report));
    const single = await runCli([
      'verify',
      '--db',
      fleet.databases.get('users-2')?.url ?? '',
      '--from',
      `sql:${join(fleet.dir, 'users-2.sql')}`,
      '--trial',
      groupReport,
      '--runs',
      '1',
      '--json',
      '-q',
    ]);
    const singleJson = JSON.parse(single.stdout) as TrialJson;
    const shape = (r: TrialJson) => ({
      keys: Object.keys(r).sort(),
      queries: r.comparison.queries.map((q) => [q.fingerprint, q.indexesAfter]),
      tried: r.after.trialIndexes,
    });
    expect(shape(byName.get('users-2')?.result as TrialJson)).toEqual(shape(singleJson));

    // compare: each member against its own entry of the saved trial ("after"); the trial was rolled back, so the indexes are gone
    const compare = await runCli(
      ['verify', 'compare', base, '--fleet', fleet.file, '--only-db', 'users-1,users-3', '--runs', '1', '--json', '-q'],
      { env: fleet.env },
    );
    expect(compare.code).toBe(1);
    const compared = JSON.parse(compare.stdout) as FleetJson<TrialJson['comparison']>;
    inProcess.compare = compare.stdout;
    expect(compared.databases.find((d) => d.name === 'users-3')?.error).toMatch(/no baseline for users-3 in .*verify-base\.json/);
    const now = compared.databases.find((d) => d.name === 'users-1')?.result;
    expect(now?.queries.length).toBeGreaterThan(0);
    expect(now?.queries.flatMap((q) => q.indexesAfter).filter((name) => wanted.includes(name))).toEqual([]);
    expect(now?.queries.some((q) => q.planChange !== '')).toBe(true);

    // a baseline in text: a row per database
    const text = await runCli(['verify', '--fleet', fleet.file, '--only-db', 'users-1,gone', '--runs', '1', '-q']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^users-1\s+ok\s+schema-\w{8}\s+2 queries measured/m);
    expect(text.stdout).toMatch(/^gone\s+failed\s+cannot connect/m);
  });

  it('queue: analyze, monitor snapshot, verify compare and report --fleet --queue; fleet status --timeout, per-database states, --report', async () => {
    const central = await createTestDatabase('fleet_queue_more', []);
    const workers: ReturnType<typeof startCli>[] = [];
    const q = ['--queue', central.url, '--json', '-q'];
    const submit = async (args: string[]) => {
      const queued = await runCli([...args, ...q], { env: fleet.env });
      expect(queued.code, queued.stderr).toBe(0);
      return (JSON.parse(queued.stdout) as { run: string }).run;
    };
    type StatusJson<T> = FleetJson<T> & {
      command: string;
      pending: string[];
      members: { name: string; state: string; worker?: string }[];
    };
    const status = async <T>(run: string, ...more: string[]) => {
      const got = await runCli(['fleet', 'status', '--queue', central.url, '--run', run, '--json', ...more]);
      return { code: got.code, stderr: got.stderr, json: JSON.parse(got.stdout) as StatusJson<T> };
    };
    try {
      const analyzeRun = await submit(['analyze', '--fleet', fleet.file, '--only-db', 'orders-1,orders-2']);
      // no worker yet: --wait gives up at --timeout, exit 3, each database queued
      const early = await status(analyzeRun, '--wait', '--timeout', '1s');
      expect(early.code).toBe(3);
      expect(early.stderr).toMatch(
        new RegExp(`^indexwise: run ${analyzeRun} not finished after 1 s: 2 pending \\(orders-1, orders-2\\)\\n$`),
      );
      expect(early.json.members).toEqual([
        { name: 'orders-1', state: 'queued', retries: 0 },
        { name: 'orders-2', state: 'queued', retries: 0 },
      ]);
      const store = join(fleet.dir, 'queued-monitor.sqlite');
      const snapshotRun = await submit(['monitor', 'snapshot', '--fleet', fleet.file, '--only-db', 'users', '--store', store]);
      const base = join(fleet.dir, 'verify-base.json');
      const compareRun = await submit(['verify', 'compare', base, '--fleet', fleet.file, '--only-db', 'users-1,users-3', '--runs', '1']);
      const reportRun = await submit(['report', '--fleet', fleet.file, '--only-db', 'users-1,users-2,gone']);
      for (let i = 0; i < 2; i++)
        workers.push(startCli(['worker', '--queue', central.url, '--concurrency', '2', '--maintenance-interval', '1'], { env: fleet.env }));

      // analyze: the same { databases, groups } as in-process
      const analyzed = await status(analyzeRun, '--wait', '--timeout', '2m');
      expect(analyzed.code).toBe(0);
      const analyzeJson = JSON.parse(inProcess.analyze ?? '') as FleetJson<unknown>;
      expect([analyzed.json.command, analyzed.json.databases, analyzed.json.groups]).toEqual([
        'analyze',
        analyzeJson.databases,
        analyzeJson.groups,
      ]);
      expect(analyzed.json.members.map((m) => [m.name, m.state, /^\d+@/.test(m.worker ?? '')])).toEqual([
        ['orders-1', 'done', true],
        ['orders-2', 'done', true],
      ]);

      // snapshot: the same databases, tables and indexes (the counters move as the tests run queries), written to the worker's store
      const snapped = await status<{ database: string; indexes: { index: string }[]; tables: { table: string }[] }>(snapshotRun, '--wait');
      expect(snapped.code).toBe(0);
      const shape = (json: FleetJson<{ database: string; indexes: { index: string }[]; tables: { table: string }[] }>) =>
        json.databases.map((d) => [
          d.name,
          d.result?.database,
          d.result?.indexes.map((i) => i.index),
          d.result?.tables.map((t) => t.table),
        ]);
      const snapshotJson = JSON.parse(inProcess.snapshot ?? '') as Parameters<typeof shape>[0];
      expect(shape(snapped.json)).toEqual(shape(snapshotJson));
      expect(snapped.json.groups).toEqual(snapshotJson.groups);
      expect(existsSync(store)).toBe(true);

      // verify compare: the baseline file was read where it is, each member's part queued with its job
      const comparedQueued = await status<TrialJson['comparison']>(compareRun, '--wait');
      expect(comparedQueued.code).toBe(1);
      const compareJson = JSON.parse(inProcess.compare ?? '') as FleetJson<TrialJson['comparison']>;
      const plans = (json: FleetJson<TrialJson['comparison']>) =>
        json.databases.map((d) => [d.name, d.ok, d.error, d.result?.queries.map((x) => [x.fingerprint, x.indexesAfter, x.planChange])]);
      expect(plans(comparedQueued.json)).toEqual(plans(compareJson));
      expect(comparedQueued.json.members.map((m) => m.state)).toEqual(['done', 'failed']);

      // report: each member's row as in-process; fleet status --report writes the pages from the central store
      const pages = join(fleet.dir, 'queued-report');
      const reported = await runCli(['fleet', 'status', '--queue', central.url, '--run', reportRun, '--wait', '--report', pages]);
      expect(reported.code).toBe(1);
      expect(reported.stderr).toBe(`wrote ${pages}/index.html and 2 database reports\n`);
      const reportJson = (await status<unknown>(reportRun)).json;
      const inProcessReport = await runCli([
        'report',
        '--fleet',
        fleet.file,
        '--only-db',
        'users-1,users-2,gone',
        '--out',
        join(fleet.dir, 'report-2'),
        '--json',
        '-q',
      ]);
      const inProcessRows = JSON.parse(inProcessReport.stdout) as FleetJson<unknown>;
      expect([reportJson.databases, reportJson.groups]).toEqual([inProcessRows.databases, inProcessRows.groups]);
      const page = readFileSync(join(pages, 'index.html'), 'utf8');
      for (const name of ['users-1', 'users-2']) {
        expect(page).toContain(`<a href="${name}.html">${name}</a>`);
        expect(readFileSync(join(pages, `${name}.html`), 'utf8')).toMatch(/<html/);
      }
      expect(page).toMatch(/<td>gone<\/td><td><\/td><td colspan="6" class="failed">failed: cannot connect/);
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.done));
      await central.drop();
    }
  });

  // last: it changes the events databases
  it('apply --group rolls the advice out member by member, stops at the member that fails, and a re-run finishes the rest', async () => {
    const adviceFile = join(fleet.dir, 'fleet-advice.json');
    writeFileSync(adviceFile, adviceRun.stdout);
    const state = join(fleet.dir, 'rollout.json');
    const args = ['apply', '--fleet', fleet.file, '--group', 'events-1', '--input', adviceFile, '--state', state, '--yes', '--json', '-q'];
    const group = groupOf(adviceRun.json, 'events-1');
    const wanted = (group?.advice as GroupJson).report.recommendations.map((r) => r.sql.replace(/.* INDEX CONCURRENTLY (\S+) ON.*/, '$1'));
    const indexesOf = async (member: string) =>
      (
        await fleet.databases
          .get(member)
          ?.sql(
            `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = 'public'::regnamespace`,
          )
      )?.rows as { name: string; valid: boolean }[];

    // the read-only role cannot build indexes on events-3: the rollout stops there
    const first = await runCli(args, { env: fleet.env });
    expect(first.code).toBe(1);
    const firstJson = JSON.parse(first.stdout) as { members: { name: string; status: string; error?: string }[]; complete: boolean };
    expect(firstJson.members.map((m) => m.status)).toEqual(['done', 'done', 'failed', 'pending']);
    expect(firstJson.members[2]?.error).toMatch(/owner|permission/);
    for (const member of ['events-1', 'events-2'])
      expect((await indexesOf(member)).map((i) => i.name)).toEqual(expect.arrayContaining(wanted));
    for (const member of ['events-3', 'events-4']) expect((await indexesOf(member)).map((i) => i.name)).not.toContain(wanted[0]);

    // the same command with the owner's connection string: the two done are skipped, the rest built
    const second = await runCli(args, { env: { ...fleet.env, [READ_ONLY_ENV]: fleet.ownerUrl } });
    expect(second.code, second.stderr).toBe(0);
    const secondJson = JSON.parse(second.stdout) as { members: { name: string; status: string }[]; complete: boolean };
    expect(secondJson.members.map((m) => m.status)).toEqual(['done-before', 'done-before', 'done', 'done']);
    expect(secondJson.complete).toBe(true);
    for (const member of fleet.members.events) {
      const indexes = await indexesOf(member);
      expect(indexes.map((i) => i.name)).toEqual(expect.arrayContaining(wanted));
      expect(indexes.filter((i) => !i.valid)).toEqual([]);
    }
  });
});
