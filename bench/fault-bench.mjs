// Fault injection at scale: the CLI's fault-injection suite (apps/cli/test/fault-injection.test.ts)
// with more SIGKILL trials than CI runs. Each trial kills `build` at a seeded random moment, builds
// again, and compares every relation with a clean build's. FAULT_TRIALS / FAULT_SEED override.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const trials = process.env.FAULT_TRIALS ?? '12';
const seed = process.env.FAULT_SEED ?? String(Date.now() % 100_000);
console.log(
  `fault injection: ${trials} SIGKILL trials of build (seed ${seed}), SIGINT during build, SIGKILL during advance`,
);
const started = Date.now();
const { status, stdout } = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    'test/fault-injection.test.ts',
    '--reporter=verbose',
  ],
  {
    cwd: join(root, 'apps', 'cli'),
    env: { ...process.env, FAULT_TRIALS: trials, FAULT_SEED: seed, NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  },
);
const outcomes = stdout.split('\n').filter((line) => /^\s*[✓×]/.test(line));
for (const line of outcomes) console.log(line.trim());
const passed = outcomes.filter((line) => line.trim().startsWith('✓')).length;
console.log(
  `${passed} of ${outcomes.length} fault trials passed (after each, the next command succeeded and the warehouse was whole) (${((Date.now() - started) / 1000).toFixed(0)} s, seed ${seed})`,
);
process.exit(status ?? 1);
