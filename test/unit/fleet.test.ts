/** The fleet's pure parts (no database): the fleet file, member selection, the schema fingerprint, the workload merge, the runner. */
import { describe, expect, it } from 'vitest';
import { type AdvisedGroups, pickGroupAdvice } from '../../src/fleet/advise.js';
import { parseFleet, selectMembers } from '../../src/fleet/fleet-file.js';
import type { AdviceReport } from '../../src/model/recommendation.js';
import { runFleet } from '../../src/fleet/runner.js';
import { schemaFingerprint } from '../../src/fleet/schema-fingerprint.js';
import { mergeWorkloads } from '../../src/fleet/workload-merge.js';
import { memberStates } from '../../src/fleet/queue/member-states.js';
import { memberInput } from '../../src/fleet/queue/jobs/verify.js';
import { MEMBER_COMMANDS, QUEUED_COMMANDS } from '../../src/fleet/queue/registry.js';
import { waitUntilDone } from '../../src/fleet/queue/wait.js';
import type { Measurement } from '../../src/model/measurement.js';
import { runCli } from '../helpers/cli.js';
import type { Catalog, Index, Table } from '../../src/model/catalog.js';
import type { Workload, WorkloadQuery } from '../../src/model/workload.js';

const FLEET = JSON.stringify({
  databases: {
    a: { url: 'env:A_URL', tags: ['eu'] },
    b: { url: 'postgres://app:secret@db-b/app', tags: ['us'], thresholds: { 'min-scans': 5 } },
    c: { url: 'postgres://app@db-c/app', tags: ['eu', 'big'], from: ['sql:c.sql'] },
    d: { url: 'env:D_URL' },
  },
});

describe('fleet file', () => {
  const fleet = parseFleet(FLEET, 'fleet.json', { A_URL: 'postgres://app@db-a/app' });

  it('reads env: URLs from the environment, and warns about a literal password only', () => {
    expect(fleet.members.map((m) => m.url)).toEqual([
      'postgres://app@db-a/app',
      'postgres://app:secret@db-b/app',
      'postgres://app@db-c/app',
      'env:D_URL',
    ]);
    expect(fleet.warnings).toEqual(['fleet database "b" has a password in fleet.json: prefer "url": "env:VAR"']);
    expect(fleet.members[1]?.thresholds).toEqual({ 'min-scans': 5 });
    expect(fleet.members[2]?.from).toEqual(['sql:c.sql']);
  });

  it('selects members by name or tag, less the excluded ones', () => {
    expect(selectMembers(fleet, ['eu']).map((m) => m.name)).toEqual(['a', 'c']);
    expect(selectMembers(fleet, ['eu', 'b'], ['big']).map((m) => m.name)).toEqual(['a', 'b']);
    expect(selectMembers(fleet, [], ['us']).map((m) => m.name)).toEqual(['a', 'c', 'd']);
    expect(() => selectMembers(fleet, ['asia'])).toThrow('no fleet database is named or tagged "asia"');
  });

  it('rejects a file that is not a fleet, in one line', () => {
    expect(() => parseFleet('{', 'f.json')).toThrow('f.json is not valid JSON');
    expect(() => parseFleet('{"databases": {}}', 'f.json')).toThrow('f.json lists no databases');
    expect(() => parseFleet('{"databases": {"x": {"url": 5}}}', 'f.json')).toThrow('fleet database "x": "url" must be a string');
    expect(() => parseFleet('{"databases": {"x": {"url": "u", "tags": "eu"}}}', 'f.json')).toThrow('"tags" must be a list of strings');
  });
});

const column = (name: string, position: number, type = 'integer') => ({
  name,
  position,
  type,
  nullable: true,
  generated: false,
  stats: null,
});
const table = (name: string, columns = [column('id', 1), column('a', 2)], rowEstimate = 100): Table => ({
  schema: 'public',
  name,
  kind: 'table',
  parent: null,
  rowEstimate,
  tableBytes: rowEstimate * 10,
  totalBytes: rowEstimate * 20,
  columns,
  primaryKey: ['id'],
});
const index = (name: string, on: string, col: string): Index => ({
  schema: 'public',
  name,
  table: { schema: 'public', name: on },
  method: 'btree',
  unique: false,
  primary: false,
  valid: true,
  keys: [{ column: col, expression: null, descending: false, nullsFirst: false, opclass: null, collation: null }],
  include: [],
  predicate: null,
  definition: `CREATE INDEX ${name} ON public.${on} USING btree (${col})`,
  bytes: 8192,
  constraint: null,
  parentIndex: null,
});
const catalog = (tables: Table[], indexes: Index[] = []): Catalog => ({
  schemas: ['public'],
  searchPath: ['public'],
  tables,
  indexes,
  foreignKeys: [],
  views: [],
});

describe('schema fingerprint', () => {
  const base = schemaFingerprint(catalog([table('t'), table('u')], [index('t_a', 't', 'a')]));
  it('ignores order, sizes, statistics and index names', () => {
    expect(schemaFingerprint(catalog([table('u', undefined, 5), table('t', undefined, 9000)], [index('t_a_idx', 't', 'a')]))).toBe(base);
  });
  it('changes with a column, a type or an index', () => {
    expect(
      schemaFingerprint(catalog([table('t', [column('id', 1), column('a', 2, 'bigint')]), table('u')], [index('t_a', 't', 'a')])),
    ).not.toBe(base);
    expect(schemaFingerprint(catalog([table('t', [column('id', 1), column('b', 2)]), table('u')], [index('t_a', 't', 'b')]))).not.toBe(
      base,
    );
    expect(schemaFingerprint(catalog([table('t'), table('u')], [index('t_a', 't', 'a'), index('u_a', 'u', 'a')]))).not.toBe(base);
    expect(schemaFingerprint(catalog([table('t'), table('u')]))).not.toBe(base);
  });
});

const query = (fingerprint: string, calls: number, totalTimeMs: number, samples: string[]): WorkloadQuery => ({
  fingerprint,
  sql: `q ${fingerprint}`,
  samples,
  calls,
  totalTimeMs,
  meanTimeMs: totalTimeMs / calls,
  rows: calls,
  sources: ['pg_stat_statements'],
});
const workload = (queries: WorkloadQuery[]): Workload => ({ queries, skipped: [], utility: { BEGIN: 1 }, timed: true });

describe('workload merge', () => {
  it('sums calls, times and rows per fingerprint and orders by total time', () => {
    const merged = mergeWorkloads([
      workload([query('a', 2, 10, ['a1']), query('b', 1, 30, ['b1'])]),
      workload([query('a', 3, 40, ['a2', 'a1'])]),
    ]);
    expect(merged.queries.map((q) => [q.fingerprint, q.calls, q.totalTimeMs, q.meanTimeMs, q.rows, q.samples])).toEqual([
      ['a', 5, 50, 10, 5, ['a1', 'a2']],
      ['b', 1, 30, 30, 1, ['b1']],
    ]);
    expect(merged.utility).toEqual({ BEGIN: 2 });
  });
});

describe('runner', () => {
  it('keeps at most `concurrency` tasks running, isolates failures and timeouts, and keeps the members’ order', async () => {
    let running = 0;
    let most = 0;
    const members = Array.from({ length: 9 }, (_, i) => ({ name: `m${i}` }));
    const outcomes = await runFleet(
      members,
      async (m, signal) => {
        running++;
        most = Math.max(most, running);
        try {
          if (m.name === 'm3') throw new Error('broken\nsecond line');
          const wait = m.name === 'm5' ? 10_000 : 5;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, wait);
            signal.addEventListener('abort', () => (clearTimeout(timer), resolve()));
          });
          return m.name.toUpperCase();
        } finally {
          running--;
        }
      },
      { concurrency: 3, timeoutMs: 200 },
    );
    expect(most).toBe(3);
    expect(outcomes.map((o) => o.name)).toEqual(members.map((m) => m.name));
    expect(outcomes[3]).toMatchObject({ ok: false, error: 'broken' });
    expect(outcomes[5]).toMatchObject({ ok: false, error: 'timed out after 200 ms' });
    expect(outcomes.filter((o) => o.ok).map((o) => o.result)).toEqual(['M0', 'M1', 'M2', 'M4', 'M6', 'M7', 'M8']);
  });
});

describe('a group’s advice (apply --fleet --group, verify --fleet --trial)', () => {
  const report = { recommendations: [] } as unknown as AdviceReport;
  const groups: AdvisedGroups = [
    { name: 'schema-aaaa', schemaFingerprint: 'aaaa', members: ['a1', 'a2'], advice: { representative: 'a2', differing: [], report } },
    { name: 'schema-bbbb', schemaFingerprint: 'bbbb', members: ['b1'], advice: { error: 'timed out after 5 s' } },
    { name: 'schema-cccc', schemaFingerprint: 'cccc', members: ['c1'] },
  ];
  it('is found by the group’s name or one of its members', () => {
    expect(pickGroupAdvice(groups, 'schema-aaaa')).toEqual({ group: groups[0], report });
    expect(pickGroupAdvice(groups, 'a1').group.name).toBe('schema-aaaa');
  });
  it('says which groups there are, or why a group has none', () => {
    expect(() => pickGroupAdvice(groups, 'zz')).toThrow(
      'no schema group "zz": the groups are schema-aaaa (a1, a2); schema-bbbb (b1); schema-cccc (c1)',
    );
    expect(() => pickGroupAdvice(groups, 'b1')).toThrow('group schema-bbbb has no advice: timed out after 5 s');
    expect(() => pickGroupAdvice(groups, 'c1')).toThrow(/^group schema-cccc has no advice$/);
  });
});

describe('the job queue’s pure parts', () => {
  it('registers every queued command under its own name', () => {
    expect(Object.keys(MEMBER_COMMANDS).sort()).toEqual([...QUEUED_COMMANDS].sort());
    for (const command of QUEUED_COMMANDS) expect(MEMBER_COMMANDS[command].command).toBe(command);
  });

  it('a member’s state: its result first, else its job’s most advanced row', () => {
    const results = new Map([
      ['a', { ok: true, worker: '1@h' }],
      ['b', { ok: false, worker: '2@h' }],
    ]);
    const jobs = [
      { name: 'a', state: 'completed', retry_count: 1 },
      { name: 'b', state: 'completed', retry_count: 0 },
      { name: 'c', state: 'active', retry_count: 0 },
      { name: 'd', state: 'retry', retry_count: 2 },
      // a retried job: its first try archived, its second taken
      { name: 'e', state: 'failed', retry_count: 0 },
      { name: 'e', state: 'active', retry_count: 1 },
      { name: 'f', state: 'created', retry_count: 0 },
      { name: 'g', state: 'failed', retry_count: 3 },
    ];
    expect(memberStates(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], results, jobs)).toEqual([
      { name: 'a', state: 'done', retries: 1, worker: '1@h' },
      { name: 'b', state: 'failed', retries: 0, worker: '2@h' },
      { name: 'c', state: 'active', retries: 0 },
      { name: 'd', state: 'retrying', retries: 2 },
      { name: 'e', state: 'active', retries: 1 },
      { name: 'f', state: 'queued', retries: 0 },
      { name: 'g', state: 'lost', retries: 3 },
      { name: 'h', state: 'queued', retries: 0 },
    ]);
  });

  it('verify: each member’s share of a baseline, or why it has none, is worked out where the file is', () => {
    const before = { kind: 'indexwise-measurement' } as unknown as Measurement;
    const compare = {
      kind: 'compare' as const,
      baselineOf: (name: string) => {
        if (name !== 'a') throw new Error(`no baseline for ${name} in before.json`);
        return before;
      },
    };
    expect(memberInput(compare, 'a')).toEqual({ kind: 'compare', before });
    expect(memberInput(compare, 'b')).toEqual({ kind: 'missing', error: 'no baseline for b in before.json' });
    expect(memberInput({ kind: 'baseline' }, 'b')).toEqual({ kind: 'baseline' });
    expect(memberInput({ kind: 'trial', adviceFor: () => [] }, 'b')).toEqual({ kind: 'trial', advice: [] });
  });

  /** A clock that moves only when the waiter sleeps. */
  function fakeClock() {
    let t = 0;
    const slept: number[] = [];
    return {
      now: () => t,
      sleep: async (ms: number) => {
        slept.push(ms);
        t += ms;
      },
      slept,
    };
  }

  it('waitUntilDone polls until nothing is pending', async () => {
    const clock = fakeClock();
    let polls = 0;
    const waited = await waitUntilDone(
      async () => ({ pending: Math.max(0, 3 - polls++) }),
      (s) => s.pending > 0,
      { ...clock, intervalMs: 1000 },
    );
    expect(waited).toEqual({ status: { pending: 0 }, timedOut: false });
    expect(clock.slept).toEqual([1000, 1000, 1000]);
  });

  it('waitUntilDone gives up at the timeout, its last pause cut to what is left', async () => {
    const clock = fakeClock();
    const waited = await waitUntilDone(
      async () => ({ pending: 1, at: clock.now() }),
      (s) => s.pending > 0,
      { ...clock, intervalMs: 1000, timeoutMs: 2500 },
    );
    expect(waited).toEqual({ status: { pending: 1, at: 2500 }, timedOut: true });
    expect(clock.slept).toEqual([1000, 1000, 500]);
  });

  it('fleet status: --timeout is a duration and needs --wait; --queue is needed (one line, exit 2)', async () => {
    const env = { INDEXWISE_QUEUE_URL: undefined };
    const bad = await runCli(['fleet', 'status', '--queue', 'postgres://nowhere/x', '--wait', '--timeout', 'soon'], { env });
    expect([bad.code, bad.stderr]).toEqual([2, 'indexwise: --timeout must be a duration like 500ms, 10s, 2m or 30d, got "soon"\n']);
    const alone = await runCli(['fleet', 'status', '--queue', 'postgres://nowhere/x', '--timeout', '5s'], { env });
    expect([alone.code, alone.stderr]).toEqual([2, 'indexwise: --timeout limits --wait: give --wait too\n']);
    const none = await runCli(['fleet', 'status', '--wait'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^indexwise: --queue \(or INDEXWISE_QUEUE_URL\) is needed[^\n]*\n$/);
  });

  it('--queue without --fleet, and the files a queued run cannot keep, are usage errors', async () => {
    const q = ['--queue', 'postgres://nowhere/x'];
    for (const args of [
      ['analyze', '--db', 'pglite:memory', ...q],
      ['monitor', 'snapshot', '--db', 'pglite:memory', ...q],
      ['verify', '--db', 'pglite:memory', ...q],
      ['report', '--db', 'pglite:memory', ...q],
    ]) {
      const run = await runCli(args);
      expect([run.code, run.stderr], args.join(' ')).toEqual([2, 'indexwise: --queue queues a fleet: give --fleet FILE\n']);
    }
    const out = await runCli(['report', '--fleet', 'fleet.json', '--out', 'dir', ...q]);
    expect(out.stderr).toMatch(/^indexwise: report --queue writes no file: `fleet status --run ID --wait --report DIR`/);
    expect(out.code).toBe(2);
    const missing = await runCli(['report', '--db', 'pglite:memory']);
    expect([missing.code, missing.stderr]).toEqual([2, "indexwise: required option '--out <file>' not specified (see --help)\n"]);
  });
});
