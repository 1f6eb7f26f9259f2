/**
 * Build progress from pg_stat_progress_create_index, polled on a second connection
 * while the first one runs CREATE INDEX (PostgreSQL ≥ 12). Reports only changes.
 */
import type { Engine } from '../engines/engine.js';
import type { BuildProgressEvent } from './types.js';

interface ProgressRow {
  phase: string;
  blocks_done: string | number;
  blocks_total: string | number;
  tuples_done: string | number;
  tuples_total: string | number;
}

const PROGRESS_SQL = `SELECT phase, blocks_done, blocks_total, tuples_done, tuples_total
FROM pg_stat_progress_create_index WHERE pid = $1`;

export class BuildProgress {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private last = '';

  constructor(
    private readonly monitor: Engine,
    private readonly intervalMs: number,
  ) {}

  /** Polls the backend `pid` until stop(); `index` names the events. */
  watch(pid: number, index: string, report: (event: BuildProgressEvent) => void): void {
    this.stop();
    this.last = '';
    this.timer = setInterval(() => void this.poll(pid, index, report), this.intervalMs);
  }

  private async poll(pid: number, index: string, report: (event: BuildProgressEvent) => void): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const [row] = await this.monitor.query<ProgressRow & Record<string, unknown>>(PROGRESS_SQL, [pid]);
      if (row === undefined || this.timer === null) return;
      const event: BuildProgressEvent = {
        kind: 'progress',
        index,
        phase: row.phase,
        blocksDone: Number(row.blocks_done),
        blocksTotal: Number(row.blocks_total),
        tuplesDone: Number(row.tuples_done),
        tuplesTotal: Number(row.tuples_total),
      };
      const key = JSON.stringify(event);
      if (key !== this.last) {
        this.last = key;
        report(event);
      }
    } catch {
      // progress is best effort: a failed poll never stops a build
    } finally {
      this.busy = false;
    }
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  async close(): Promise<void> {
    this.stop();
    await this.monitor.close();
  }
}
