/** Small pure helpers for human output. */
import Table from 'cli-table3';
import pc from 'picocolors';

export { formatBytes, formatCost, formatCount, oneLineSql } from '../format.js';

export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
}

/** An aligned, borderless table. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const table = new Table({
    head: columns.map((c) => pc.bold(c.header)),
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 2 },
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '',
    },
  });
  for (const row of rows) table.push([...row]);
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

export function heading(text: string): string {
  return `\n${pc.bold(text)}`;
}

/** 1500 → "1.5 s", 90000 → "90 s", 250 → "250 ms": a time limit as the user gave it, roughly. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
