/**
 * When each index was last used, from snapshots written here by hand (no database): the last
 * step at which its scan counter grew, across a statistics reset; "not used since" the first
 * snapshot that saw it; unknown with one snapshot; the server's own time (last_idx_scan,
 * PostgreSQL 16+) wins where the snapshots carry it.
 */
import { describe, expect, it } from 'vitest';
import { describeLastUsed, usageReport } from '../../src/monitor/report.js';
import type { IndexCounters, Snapshot } from '../../src/monitor/snapshot.js';

const T = ['2026-05-01T10:00:00.000Z', '2026-05-01T11:00:00.000Z', '2026-05-01T12:00:00.000Z', '2026-05-01T13:00:00.000Z'];

function index(name: string, scans: number, extra: Partial<IndexCounters> = {}): IndexCounters {
  return { schema: 'public', table: 't', index: name, scans, tuplesRead: 0, tuplesFetched: 0, bytes: 8192, essential: false, ...extra };
}

function snap(at: number, indexes: IndexCounters[], statsReset: string | null = null): Snapshot {
  return { database: 'db', takenAt: T[at] as string, statsReset, indexes, tables: [] };
}

const lastUsedOf = (snapshots: Snapshot[], name: string) => usageReport('db', snapshots).indexes.find((i) => i.index === name)?.lastUsed;

describe('last used from snapshots', () => {
  it('is the last step at which the scan counter grew', () => {
    const snapshots = [
      snap(0, [index('a', 10), index('b', 3)]),
      snap(1, [index('a', 12), index('b', 3)]),
      snap(2, [index('a', 15), index('b', 3)]),
      snap(3, [index('a', 15), index('b', 3)]),
    ];
    expect(lastUsedOf(snapshots, 'a')).toEqual({ kind: 'between', after: T[1], before: T[2] });
    expect(lastUsedOf(snapshots, 'b')).toEqual({ kind: 'not-since', since: T[0] });
    expect(describeLastUsed({ kind: 'between', after: T[1] as string, before: T[2] as string })).toBe(
      'between 2026-05-01 11:00 and 12:00 UTC',
    );
    expect(describeLastUsed({ kind: 'between', after: '2026-04-30T23:50:00.000Z', before: T[0] as string })).toBe(
      'between 2026-04-30 23:50 and 2026-05-01 10:00 UTC',
    );
    expect(describeLastUsed({ kind: 'not-since', since: T[0] as string })).toBe('not used since 2026-05-01 10:00 UTC');
  });

  it('counts scans after a statistics reset as use, and a lower counter without one as a reset too', () => {
    const reset = [snap(0, [index('a', 50)]), snap(1, [index('a', 50)]), snap(2, [index('a', 4)], T[2]), snap(3, [index('a', 4)], T[2])];
    expect(lastUsedOf(reset, 'a')).toEqual({ kind: 'between', after: T[1], before: T[2] });
    const quietReset = [snap(0, [index('a', 50)]), snap(1, [index('a', 0)], T[1]), snap(2, [index('a', 0)], T[1])];
    expect(lastUsedOf(quietReset, 'a')).toEqual({ kind: 'not-since', since: T[0] });
  });

  it('an index first seen later is "not used since" that snapshot, or used when it arrived with scans', () => {
    const snapshots = [
      snap(0, [index('a', 1)]),
      snap(1, [index('a', 1), index('new', 0), index('built-and-used', 2)]),
      snap(2, [index('a', 1), index('new', 0), index('built-and-used', 2)]),
    ];
    expect(lastUsedOf(snapshots, 'new')).toEqual({ kind: 'not-since', since: T[1] });
    expect(lastUsedOf(snapshots, 'built-and-used')).toEqual({ kind: 'between', after: T[0], before: T[1] });
  });

  it('is unknown (n/a) with a single snapshot', () => {
    expect(lastUsedOf([snap(0, [index('a', 7)])], 'a')).toBeNull();
    expect(describeLastUsed(null)).toBe('n/a');
  });

  it("takes the server's own time where the snapshots carry last_idx_scan", () => {
    const server = [
      snap(0, [index('a', 1, { lastScan: '2026-05-01T09:59:00.000Z' }), index('b', 0, { lastScan: null })]),
      snap(1, [index('a', 1, { lastScan: '2026-05-01T09:59:00.000Z' }), index('b', 0, { lastScan: null })]),
    ];
    expect(lastUsedOf(server, 'a')).toEqual({ kind: 'at', at: '2026-05-01T09:59:00.000Z' });
    expect(lastUsedOf(server, 'b')).toEqual({ kind: 'never' });
    // one snapshot is enough when the server keeps the time; a reset bounds "never"
    const one = [snap(0, [index('a', 1, { lastScan: T[0] }), index('b', 0, { lastScan: null })], T[0])];
    expect(lastUsedOf(one, 'a')).toEqual({ kind: 'at', at: T[0] });
    expect(lastUsedOf(one, 'b')).toEqual({ kind: 'not-since', since: T[0] });
    expect(describeLastUsed({ kind: 'at', at: T[3] as string })).toBe('2026-05-01 13:00 UTC');
  });
});
