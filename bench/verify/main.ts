/**
 * Measured speed-ups, not estimates: TPC-H SF 0.1 and the demo application at two
 * scales on a real PostgreSQL, each measured with no advice, then with indexwise's
 * advice applied for real (applyPlan), then measured again. Prints the machine and
 * the tables; writes bench/results/verify.json and bench/results/verify.md.
 *
 *   npm run bench:verify                         (scripts/bench.sh starts a throwaway PostgreSQL 15)
 *   scripts/bench.sh bench/verify/main.ts --only demo --scales 1 --timeout 30
 *   npm run bench:verify -- --only demo --what-if hybrid     (GIN/GiST costed by rolled-back builds)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connect } from '../../src/engines/connect.js';
import { serverUrl } from '../advise/database.js';
import { describeMachine, machine } from '../advise/machine.js';
import { sourceState } from '../advise/source.js';
import { runDemoAt } from './demo.js';
import { checkGoals } from './goals.js';
import { demoDetails, demoSummaryTable, renderMarkdown, tpchSection } from './report.js';
import { runTpch } from './tpch.js';
import { BENCH_WHAT_IF, type BenchWhatIf, type CarriedPart, type DemoResult, type TpchResult, type VerifyReport } from './types.js';

const RESULTS = fileURLToPath(new URL('../results/verify.json', import.meta.url));
const MARKDOWN = fileURLToPath(new URL('../results/verify.md', import.meta.url));
const PARTS = ['tpch', 'demo'] as const;

interface Settings {
  readonly parts: readonly (typeof PARTS)[number][];
  readonly scales: readonly number[];
  readonly timeoutMs: number;
  readonly whatIf: BenchWhatIf;
  readonly write: boolean;
}

function settings(): Settings {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      scales: { type: 'string', default: '1,10' },
      timeout: { type: 'string', default: '60' },
      'no-write': { type: 'boolean', default: false },
      'what-if': { type: 'string', default: 'hypopg' },
    },
  });
  const only = values.only;
  if (only !== undefined && !PARTS.includes(only as (typeof PARTS)[number])) throw new Error(`--only takes ${PARTS.join(' or ')}`);
  const scales = (values.scales ?? '').split(',').map(Number);
  const timeout = Number(values.timeout);
  if (scales.some((s) => !(s > 0)) || !(timeout > 0)) throw new Error('--scales takes numbers like 1,10 and --timeout seconds');
  const whatIf = values['what-if'];
  if (!BENCH_WHAT_IF.includes(whatIf as BenchWhatIf)) throw new Error(`--what-if takes ${BENCH_WHAT_IF.join(', ')}`);
  return {
    parts: only === undefined ? PARTS : [only as (typeof PARTS)[number]],
    scales,
    timeoutMs: timeout * 1000,
    whatIf: whatIf as BenchWhatIf,
    write: !values['no-write'],
  };
}

async function postgresVersion(): Promise<string> {
  const engine = await connect(serverUrl());
  try {
    return (await engine.info()).serverVersion;
  } finally {
    await engine.close();
  }
}

const progress = (message: string) => {
  if (process.stdout.isTTY) process.stdout.write(`\r    ${message.slice(0, 100).padEnd(100)}\r`);
};

/** The results file of the last run, whose parts a `--only` run keeps (each with its own date). */
async function previousReport(): Promise<VerifyReport | null> {
  try {
    return JSON.parse(await readFile(RESULTS, 'utf8')) as VerifyReport;
  } catch {
    return null;
  }
}

function carriedFrom(previous: VerifyReport, part: CarriedPart['part']): CarriedPart {
  const earlier = previous.carried?.find((c) => c.part === part);
  return earlier ?? { part, measuredAt: previous.measuredAt, commit: previous.source.commit };
}

async function main(): Promise<void> {
  const started = performance.now();
  const s = settings();
  const m = machine(await postgresVersion());
  console.log(`Machine: ${describeMachine(m)}`);
  let tpch: TpchResult | null = null;
  if (s.parts.includes('tpch')) {
    tpch = await runTpch({ timeoutMs: s.timeoutMs, whatIf: s.whatIf, onProgress: progress });
    console.log(`\n${tpchSection(tpch).join('\n')}\n`);
  }
  const demos: DemoResult[] = [];
  if (s.parts.includes('demo')) {
    for (const scale of s.scales) {
      const demo = await runDemoAt({ scale, timeoutMs: s.timeoutMs, whatIf: s.whatIf, onProgress: progress });
      demos.push(demo);
      console.log(`\n${demoDetails(demo).join('\n')}\n`);
    }
    console.log(`${demoSummaryTable(demos).join('\n')}\n`);
  }
  const source = await sourceState();
  const previous = await previousReport();
  const carried: CarriedPart[] = [];
  if (!s.parts.includes('tpch') && previous?.tpch) {
    tpch = previous.tpch;
    carried.push(carriedFrom(previous, 'tpch'));
  }
  if (!s.parts.includes('demo') && previous !== null && previous.demos.length > 0) {
    demos.push(...previous.demos);
    carried.push(carriedFrom(previous, 'demo'));
  }
  const report: VerifyReport = {
    measuredAt: new Date().toISOString(),
    machine: m,
    source: { commit: source.commit, changedSourceFiles: source.changedSourceFiles },
    seconds: +((performance.now() - started) / 1000).toFixed(1),
    tpch,
    demos,
    goals: checkGoals(tpch, demos),
    carried,
  };
  const markdown = renderMarkdown(report);
  console.log(markdown);
  if (!s.write) return;
  await mkdir(dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(MARKDOWN, markdown);
}

await main();
