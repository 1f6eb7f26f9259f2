/**
 * The layer check (`npm run lint:layers`, run by the test command): imports in src/ point
 * down only. README's "Layout" states the same order. A folder imports from its own
 * folder and from lower layers; folders that share a layer do not import each other,
 * except workload/ and analysis/, which are one layer.
 */
const LAYERS = [
  { name: 'base', paths: ['src/model/', 'src/errors\\.ts$', 'src/format\\.ts$', 'src/version\\.ts$'], mutual: true },
  { name: 'sql', paths: ['src/sql/'] },
  { name: 'engines', paths: ['src/engines/'] },
  { name: 'workload/analysis', paths: ['src/workload/', 'src/analysis/'], mutual: true },
  { name: 'advisor/monitor/verify', paths: ['src/advisor/', 'src/monitor/', 'src/verify/'] },
  { name: 'health', paths: ['src/health/'] },
  { name: 'migrate', paths: ['src/migrate/'] },
  { name: 'apply/report', paths: ['src/apply/', 'src/report/'] },
  { name: 'fleet', paths: ['src/fleet/'] },
  { name: 'demo', paths: ['src/demo/'] },
  { name: 'serve', paths: ['src/serve/'] },
  { name: 'cli', paths: ['src/cli/'] },
  { name: 'index', paths: ['src/index\\.ts$'] },
];

const anchored = (paths) => `^(${paths.join('|')})`;

/** For each folder: every higher layer, and the other folders of its own layer, are off limits. */
const layerRules = LAYERS.flatMap((layer, i) =>
  layer.paths.flatMap((path) => {
    const higher = LAYERS.slice(i + 1).flatMap((l) => l.paths);
    const peers = layer.mutual ? [] : layer.paths.filter((p) => p !== path);
    if (higher.length + peers.length === 0) return [];
    return {
      name: `layer-${layer.name}`,
      severity: 'error',
      comment: `${path} (layer ${layer.name}) imports only from its own folder and lower layers`,
      from: { path: `^${path}` },
      to: { path: anchored([...higher, ...peers]) },
    };
  }),
);

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'analysis-is-pure',
      severity: 'error',
      comment: 'src/analysis/ reads parse trees and the catalog: it never talks to a database',
      from: { path: '^src/analysis/' },
      to: { path: '^src/engines/' },
    },
    {
      name: 'one-parser-module',
      severity: 'error',
      comment: 'src/analysis/parse.ts is the only importer of libpg-query',
      from: { path: '^src/', pathNot: '^src/analysis/parse\\.ts$' },
      to: { path: 'node_modules/libpg-query/' },
    },
    {
      name: 'drivers-in-engines',
      severity: 'error',
      comment: 'database drivers stay in src/engines (the monitor keeps its snapshots in a SQLite file of its own)',
      from: { path: '^src/', pathNot: '^src/(engines/|monitor/sqlite-store\\.ts$)' },
      to: { path: 'node_modules/(pg|@electric-sql/pglite|better-sqlite3)/' },
    },
    {
      name: 'one-queue-module',
      severity: 'error',
      comment: 'src/fleet/queue/connection.ts is the only importer of pg-boss (the fleet job queue)',
      from: { path: '^src/', pathNot: '^src/fleet/queue/connection\\.ts$' },
      to: { path: 'node_modules/pg-boss/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'every import resolves (a check that cannot resolve an import cannot judge it)',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
