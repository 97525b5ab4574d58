// `pnpm bench`: the engine bench, then the mock-data generator bench when it exists.
// Each runs in its own Node process so one's warm JIT and memory do not colour the other's figures.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const benches = [
  'packages/core-runner/bench/engine-bench.mjs',
  'packages/mockgen/bench/mockgen-bench.mjs',
  'bench/commands-bench.mjs',
  'bench/compile-bench.mjs',
  'bench/pipeline-bench.mjs',
  'bench/pg-bench.mjs',
  'bench/docs-bench.mjs',
  'bench/fault-bench.mjs',
];

let failed = false;
for (const bench of benches) {
  const file = join(root, bench);
  if (!existsSync(file)) {
    console.log(`\n(skipped ${bench}: not present)`);
    continue;
  }
  console.log(`\n=== ${bench}`);
  const { status } = spawnSync(process.execPath, [file], { cwd: root, stdio: 'inherit' });
  if (status !== 0) {
    console.error(`${bench} exited with ${status}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
