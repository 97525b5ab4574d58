#!/usr/bin/env node
// `pnpm cli <command>`: build the CLI and everything it uses, quietly, then run the shopsmart
// command. When nothing changed since the last build this script made, a look at file times
// (scripts/build-freshness.mjs, ~10 ms) replaces the Turborepo run; otherwise `turbo run build`
// builds what changed (or replays its cache) and its output is shown only when it fails.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkBuild, packageGraph } from './build-freshness.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const check = checkBuild(
  root,
  packageGraph(root, '@shopsmart/cli'),
  join(root, 'node_modules', '.cache', 'shopsmart', 'cli-build-stamp.json'),
);
if (!check.fresh) {
  const turbo = join(root, 'node_modules', '.bin', 'turbo');
  const build = spawnSync(
    turbo,
    ['run', 'build', '--filter=@shopsmart/cli...', '--output-logs=errors-only'],
    {
      cwd: root,
      encoding: 'utf8',
      env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env },
    },
  );
  if (build.status !== 0) {
    if (build.error) process.stderr.write(`${build.error.message}\n`);
    process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
    process.stderr.write('\nthe build failed before the command could run (see above)\n');
    process.exit(build.status ?? 1);
  }
  check.record();
}
const { main } = await import(pathToFileURL(join(root, 'apps', 'cli', 'dist', 'index.js')).href);
process.exitCode = await main(process.argv.slice(2));
