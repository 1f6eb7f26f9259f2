/**
 * The strategy part of the report: which kinds of index this database uses and
 * why, when to add one and when not, and maintenance — each point illustrated with
 * this database's own indexes and workload. Pure.
 */
import type { Index } from '../model/catalog.js';
import { formatQualified } from '../sql/names.js';
import { type Block, h, p, ul } from './document.js';
import type { ReportData } from './data.js';

const name = (i: Index) => `\`${formatQualified(i)}\``;
const keys = (i: Index) => i.keys.map((k) => k.column ?? k.expression ?? '?').join(', ');
const examples = (list: readonly Index[], n = 3) =>
  list.length === 0
    ? 'none yet'
    : list
        .slice(0, n)
        .map((i) => `${name(i)} (${keys(i)})`)
        .join(', ');

function kinds(data: ReportData): Block[] {
  const user = data.catalog.indexes.filter((i) => i.parentIndex === null);
  const primary = user.filter((i) => i.primary);
  const single = user.filter((i) => !i.primary && i.keys.length === 1 && i.include.length === 0 && i.predicate === null);
  const composite = user.filter((i) => i.keys.length > 1 && !i.primary);
  const covering = user.filter((i) => i.include.length > 0);
  const partial = user.filter((i) => i.predicate !== null);
  const expression = user.filter((i) => i.keys.some((k) => k.expression !== null));
  const recommended = data.advice.recommendations;
  const recComposite = recommended.filter((r) => r.columns.length > 1);
  const recPartial = recommended.filter((r) => r.where !== null);
  const recCovering = recommended.filter((r) => r.include.length > 0);
  return [
    h(2, 'The kinds of index this database uses'),
    p(
      `There are ${user.length} indexes today: ${primary.length} primary keys, ${single.length} plain single-column, ${composite.length} composite, ${covering.length} covering, ${partial.length} partial and ${expression.length} on expressions.`,
    ),
    ul([
      `**Single-column** indexes serve lookups and sorts on one column. Here: ${examples(single)}.`,
      `**Composite** indexes serve queries that filter on several columns at once. The order of the columns decides which queries they serve: columns compared with \`=\` first (the most selective first), then at most one column used with a range (\`<\`, \`>\`, \`BETWEEN\`) or the ORDER BY columns in their direction. An index on \`(a, b)\` also serves queries on \`a\` alone, never queries on \`b\` alone. Here: ${examples(composite)}${recComposite.length ? `; recommended: ${recComposite.map((r) => `\`${r.table} (${r.columns.join(', ')})\``).join(', ')}` : ''}.`,
      `**Covering** indexes carry extra columns (\`INCLUDE\`) so a query can be answered from the index alone (an index-only scan), without visiting the table. Worth it for frequent queries that read a few narrow columns. Here: ${examples(covering)}${recCovering.length ? `; recommended: ${recCovering.map((r) => `\`${r.table} (${r.columns.join(', ')}) INCLUDE (${r.include.join(', ')})\``).join(', ')}` : ''}.`,
      `**Partial** indexes cover only the rows a query can want (\`WHERE deleted_at IS NULL\`, \`WHERE status = 'pending'\`): smaller, cheaper to keep, and only usable by queries that carry the same condition. Here: ${examples(partial)}${recPartial.length ? `; recommended: ${recPartial.map((r) => `\`${r.table} (${r.columns.join(', ')}) WHERE ${r.where}\``).join(', ')}` : ''}.`,
      `**Expression** indexes serve conditions on a computed value such as \`lower(email)\`; a plain index on the column does not. Here: ${examples(expression)}.`,
    ]),
  ];
}

function guidelines(data: ReportData): Block[] {
  const small = data.catalog.tables.filter((t) => (t.rowEstimate ?? 0) < 1000 && t.kind !== 'partition');
  const writeHeavy = data.analysis.tables.filter((t) => t.writeShare > t.readShare && t.writeQueries > 0);
  const lowCardinality = data.catalog.tables.flatMap((t) =>
    t.columns
      .filter((c) => c.stats?.nDistinct !== null && c.stats?.nDistinct !== undefined && c.stats.nDistinct > 0 && c.stats.nDistinct <= 5)
      .map((c) => `\`${t.name}.${c.name}\` (${c.stats?.nDistinct} values)`),
  );
  const helped = data.advice.queries.filter((q) => q.costAfter < q.costBefore).length;
  return [
    h(2, 'When to add an index, and when not'),
    p(
      'Add an index when the workload shows a frequent query that reads few rows of a big table and the planner proves a plan with the index cheaper. indexwise only recommends an index whose cost saving it has measured with the planner for the whole workload, net of what the index costs the table’s writes.',
    ),
    ul([
      `In this workload ${helped} of ${data.advice.queries.length} costed queries get cheaper with the recommended indexes.`,
      `Join keys need an index on the side that is looked up (typically the foreign-key column), or every join reads the whole table.`,
      `ORDER BY … LIMIT queries want the sort columns right after the equality columns: the index then returns rows already in order and stops early.`,
    ]),
    p('Do not add an index when:'),
    ul([
      `the table is small — a sequential scan of a few pages is as fast. Small tables here: ${small.length ? small.map((t) => `\`${t.name}\` (${t.rowEstimate ?? 0} rows)`).join(', ') : 'none'}.`,
      `the column has very few distinct values and the query wants a large share of them — use a partial index on the rare value instead. Such columns here: ${lowCardinality.length ? lowCardinality.slice(0, 8).join(', ') : 'none'}.`,
      `the table is mostly written to: every index is updated on every INSERT and on every UPDATE of its columns. Tables with more write than read weight here: ${writeHeavy.length ? writeHeavy.map((t) => `\`${formatQualified(t.table)}\``).join(', ') : 'none'}.`,
      'no query uses it: an index nobody reads is pure cost. `indexwise health` finds unused, duplicate and redundant indexes.',
    ]),
  ];
}

function maintenance(data: ReportData): Block[] {
  const bloated = data.findings.filter((f) => f.check === 'index-bloat');
  const unused = data.findings.filter((f) => f.check === 'unused-index');
  const invalid = data.findings.filter((f) => f.check === 'invalid-index');
  return [
    h(2, 'Maintenance'),
    ul([
      `Rebuild a bloated index without blocking writes: \`REINDEX INDEX CONCURRENTLY <name>\`. Bloated now: ${bloated.length ? bloated.map((f) => `\`${f.index}\``).join(', ') : 'none found'}.`,
      `Create and drop indexes with \`CONCURRENTLY\` on a live database, with a lock timeout: \`indexwise apply\` does both and cleans up a build that fails (an invalid index is never left behind). Invalid indexes now: ${invalid.length ? invalid.map((f) => `\`${f.index}\``).join(', ') : 'none'}.`,
      `Watch usage over time: \`indexwise monitor snapshot\` from cron, \`indexwise monitor report --since 30d\` to see scans per day; drop what stays unused. Unused now: ${unused.length ? unused.map((f) => `\`${f.index}\``).join(', ') : 'none found'}.`,
      'After large data changes run ANALYZE (or `indexwise advise --analyze`): the planner chooses indexes from those statistics.',
    ]),
  ];
}

export function strategySection(data: ReportData): Block[] {
  return [...kinds(data), ...guidelines(data), ...maintenance(data)];
}
