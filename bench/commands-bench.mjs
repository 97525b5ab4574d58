// Issue 15's table: CPU and wall time of everyday commands on the ShopSmart project, as whole
// processes, beside a bare `node -e 0` — medians over several runs, cold (no parse cache in
// target/) and warm (the cache of the previous run). Prints figures; asserts nothing.
// Also a cold `ls` of the 10,000-model synthetic project (bench/synthetic-dbt-project.mjs), the
// long parse that `ls`'s V8 tiering must not slow down (BENCH_SYNTHETIC=0 skips it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canMeasureCpu, loadLine, seconds, timeRuns } from './process-timer.mjs';
import { writeSyntheticDbtProject } from './synthetic-dbt-project.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(root, 'apps/cli/dist/bin.js');
// biome-ignore lint/suspicious/noUndeclaredEnvVars: an optional knob of this script only
const runs = Number(process.env.BENCH_RUNS ?? 5);
const dropCache = () => {
  for (const file of ['partial_parse.bin', 'partial_parse_memo.bin'])
    rmSync(join(root, 'target', file), { force: true });
};
const node = (args, before) => timeRuns(runs, process.execPath, args, { cwd: root }, before);

console.log(`ShopSmart commands — medians of ${runs} runs, node ${process.version}`);
if (!canMeasureCpu) console.log('  (no /usr/bin/time here: CPU time is not measured)');
const bare = node(['-e', '0']);
const ratio = (cpu) => (cpu === undefined || !bare.cpu ? '—' : `${(cpu / bare.cpu).toFixed(1)}×`);
const row = (label, r, goal) =>
  console.log(
    `  ${label.padEnd(44)} cpu ${seconds(r.cpu).padStart(7)} (${ratio(r.cpu).padStart(6)})  wall ${seconds(r.wall).padStart(7)}  ${goal}`,
  );
row('node -e 0', bare, '');
row('shopsmart --help', node([bin, '--help']), 'goal ≤ 2×');
row('shopsmart ls (cold: no parse cache)', node([bin, 'ls'], dropCache), 'goal ≤ 8×');
// a full parse that neither reads nor writes the cache (the cold row above also writes it)
row('shopsmart ls --no-partial-parse', node([bin, 'ls', '--no-partial-parse']), '');
node([bin, 'ls']);
row('shopsmart ls (warm)', node([bin, 'ls']), 'goal ≤ 3×');
row('shopsmart ls -s customer_analytics (warm)', node([bin, 'ls', '-s', 'customer_analytics']), 'goal ≤ 3×');
row(
  'shopsmart compile -s customer_analytics (cold)',
  node([bin, 'compile', '-s', 'customer_analytics'], dropCache),
  '',
);
node([bin, 'compile', '-s', 'customer_analytics']);
row(
  'shopsmart compile -s customer_analytics (warm)',
  node([bin, 'compile', '-s', 'customer_analytics']),
  'goal ≤ 3.5×',
);
// biome-ignore lint/suspicious/noUndeclaredEnvVars: an optional knob of this script only
if (process.env.BENCH_SYNTHETIC !== '0') {
  const work = mkdtempSync(join(tmpdir(), 'shopsmart-commands-bench-'));
  try {
    const dir = writeSyntheticDbtProject(10000, join(work, 'dbt-10000'));
    const cold = () => rmSync(join(dir, 'target'), { recursive: true, force: true });
    const args = [bin, 'ls', '--project-dir', dir, '--profiles-dir', dir];
    row('synthetic 10,000 models: ls (cold)', timeRuns(runs, process.execPath, args, {}, cold), '');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
console.log(`  ${loadLine()}`);
console.log('  `build` at scale 1 and `generate --scale 100`: see pipeline-bench and mockgen-bench.');
