/**
 * A small document model the report is written in once and rendered twice
 * (Markdown and HTML). Text may hold `code` spans; renderers escape everything else.
 */

export interface TableCell {
  readonly text: string;
  /** A value to sort by when the text does not sort well (sizes, times). */
  readonly sort?: number;
}

export type Cell = string | TableCell;

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  /** A Chart.js configuration (type, data, options), as plain JSON. */
  readonly config: Readonly<Record<string, unknown>>;
  /** What the chart shows, for readers of the Markdown version. */
  readonly summary: string;
}

export type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | {
      readonly kind: 'table';
      readonly columns: readonly string[];
      readonly rows: readonly (readonly Cell[])[];
      readonly numeric?: readonly number[];
    }
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'chart'; readonly chart: ChartSpec };

export type Document = readonly Block[];

export const h = (level: 1 | 2 | 3, text: string): Block => ({ kind: 'heading', level, text });
export const p = (text: string): Block => ({ kind: 'paragraph', text });
export const ul = (items: readonly string[]): Block => ({ kind: 'list', items });
export const code = (text: string): Block => ({ kind: 'code', text });
export const table = (columns: readonly string[], rows: readonly (readonly Cell[])[], numeric: readonly number[] = []): Block => ({
  kind: 'table',
  columns,
  rows,
  numeric,
});

export function cellText(cell: Cell): string {
  return typeof cell === 'string' ? cell : cell.text;
}
