#!/usr/bin/env node
// `pnpm cli <command>`: build the CLI and everything it uses (a Turborepo cache hit when nothing
// changed), quietly, then run the shopsmart command. Build output is shown only when it fails.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const turbo = join(root, 'node_modules', '.bin', 'turbo');
const build = spawnSync(turbo, ['run', 'build', '--filter=@shopsmart/cli...', '--output-logs=errors-only'], {
  cwd: root,
  encoding: 'utf8',
  env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env },
});
if (build.status !== 0) {
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
  process.stderr.write('\nthe build failed before the command could run (see above)\n');
  process.exit(build.status ?? 1);
}
const { main } = await import(pathToFileURL(join(root, 'apps', 'cli', 'dist', 'index.js')).href);
process.exitCode = await main(process.argv.slice(2));
