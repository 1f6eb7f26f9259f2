/** Chart.js configurations for the HTML report. Pure. */
import { formatQualified } from '../sql/names.js';
import type { ChartSpec } from './document.js';
import type { ReportData } from './data.js';

const label = (name: string | undefined, sql: string) => name ?? (sql.length > 40 ? `${sql.slice(0, 39)}…` : sql);

/** Per query: planner cost per call before and after the recommended indexes (log scale). */
export function costChart(data: ReportData): ChartSpec {
  const queries = [...data.advice.queries]
    .filter((q) => q.costBefore > 0)
    .sort((a, b) => b.costBefore - a.costBefore)
    .slice(0, 30);
  return {
    id: 'chart-cost',
    title: 'Workload cost per query, before and after the recommended indexes',
    summary: `${queries.length} queries; total ${Math.round(data.advice.cost.before)} → ${Math.round(data.advice.cost.after)} (calls × cost).`,
    config: {
      type: 'bar',
      data: {
        labels: queries.map((q) => label(q.name, q.sql)),
        datasets: [
          { label: 'cost per call, before', data: queries.map((q) => q.costBefore), backgroundColor: '#d9534f' },
          { label: 'after', data: queries.map((q) => q.costAfter), backgroundColor: '#2d6cdf' },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { type: 'logarithmic', title: { display: true, text: 'planner cost (log)' } } },
      },
    },
  };
}

/** Each existing index: its size against its scans; unused indexes sit on the floor. */
export function sizeVsScansChart(data: ReportData): ChartSpec {
  const points = data.counters.map((c) => ({ x: c.bytes / 1024, y: c.scans, label: formatQualified({ schema: c.schema, name: c.index }) }));
  const unused = points.filter((pt) => pt.y === 0).length;
  return {
    id: 'chart-size-scans',
    title: 'Index size against scans (unused indexes lie on the bottom line)',
    summary: `${points.length} indexes, ${unused} never scanned since statistics were last reset.`,
    config: {
      type: 'scatter',
      data: {
        datasets: [
          { label: 'scanned', data: points.filter((pt) => pt.y > 0), backgroundColor: '#2d6cdf' },
          { label: 'never scanned', data: points.filter((pt) => pt.y === 0), backgroundColor: '#d9534f', pointRadius: 6 },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { title: { display: true, text: 'size (kB)' } }, y: { title: { display: true, text: 'scans' } } },
      },
    },
  };
}

/** Cumulative scans per index over the monitor snapshots (the ten busiest). */
export function usageChart(data: ReportData): ChartSpec {
  const last = data.usageSeries[data.usageSeries.length - 1];
  const busiest = Object.entries(last?.scans ?? {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([name]) => name);
  const palette = ['#2d6cdf', '#d9534f', '#5cb85c', '#f0ad4e', '#6f42c1', '#20c997', '#e83e8c', '#6c757d', '#17a2b8', '#343a40'];
  return {
    id: 'chart-usage',
    title: 'Index scans over time (from monitor snapshots)',
    summary: `${data.usageSeries.length} snapshots; busiest: ${busiest.slice(0, 3).join(', ')}.`,
    config: {
      type: 'line',
      data: {
        labels: data.usageSeries.map((pt) => pt.takenAt.replace('T', ' ').slice(0, 16)),
        datasets: busiest.map((name, i) => ({
          label: name,
          data: data.usageSeries.map((pt) => pt.scans[name] ?? 0),
          borderColor: palette[i % palette.length],
          fill: false,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { title: { display: true, text: 'scans since the first snapshot' } } },
      },
    },
  };
}
