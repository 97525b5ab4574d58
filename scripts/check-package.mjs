#!/usr/bin/env node
// `check-package` task of every publishable package (run from its folder by turbo, after build):
// publint and @arethetypeswrong/cli must report nothing, and the manifest must carry what a
// published package needs. Layer packages ship exactly their dbt folders and take core-runner as a
// peer. Prints every problem, exits 1 if there is any.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dir = process.cwd();
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const problems = [];
const problem = (message) => problems.push(`${pkg.name}: ${message}`);

if (pkg.private) process.exit(0);

// What every published package carries.
for (const field of ['description', 'license', 'repository', 'engines', 'files', 'exports']) {
  if (!pkg[field]) problem(`package.json has no "${field}"`);
}
if (!Array.isArray(pkg.keywords) || pkg.keywords.length === 0) problem('package.json has no "keywords"');
if (!pkg.engines?.node) problem('package.json "engines" does not name node');
if (!pkg.exports?.['.']?.types) problem('exports["."] has no "types" condition');
if (pkg.type !== 'module') problem('package.json "type" is not "module"');
if (!existsSync(join(dir, 'README.md'))) problem('no README.md');
if (pkg.repository?.directory !== dir.slice(root.length + 1))
  problem('repository.directory is not the package folder');

// Internal dependencies follow the workspace (pnpm publish turns workspace:^ into ^<version>).
for (const kind of ['dependencies', 'devDependencies']) {
  for (const [name, range] of Object.entries(pkg[kind] ?? {})) {
    if (name.startsWith('@shopsmart/') && range !== 'workspace:^')
      problem(`${kind}.${name} is "${range}", not "workspace:^"`);
  }
}

// A layer package: a dbt project folder (dbt_project.yml) validated by `shopsmart-layer build`.
const resourceFolders = ['models', 'macros', 'seeds', 'snapshots', 'tests', 'analyses', 'rules'];
if (existsSync(join(dir, 'dbt_project.yml'))) {
  const expected = [
    'dist',
    'README.md',
    'dbt_project.yml',
    ...resourceFolders.filter((f) => existsSync(join(dir, f))),
  ];
  const files = pkg.files ?? [];
  const missing = expected.filter((f) => !files.includes(f));
  const extra = files.filter((f) => !expected.includes(f));
  if (missing.length > 0)
    problem(`"files" must also list ${missing.join(', ')} (they exist and a layer ships them)`);
  if (extra.length > 0) problem(`"files" lists ${extra.join(', ')}, which the package does not have`);
  const core = '@shopsmart/core-runner';
  if (pkg.dependencies?.[core]) problem(`${core} must be a peerDependency of a layer, not a dependency`);
  if (!/^\d+\.x$/.test(pkg.peerDependencies?.[core] ?? ''))
    problem(`peerDependencies.${core} must be its major version (e.g. "0.x")`);
  if (pkg.devDependencies?.[core] !== 'workspace:^')
    problem(`devDependencies.${core} must be "workspace:^" (the workspace build uses it)`);
  if (!/shopsmart-layer build/.test(pkg.scripts?.build ?? ''))
    problem('the build script does not run `shopsmart-layer build .`');
}

// publint, strict: warnings count.
const { messages } = await publint({ pkgDir: dir, strict: true, pack: 'pnpm' });
for (const message of messages) problem(`publint ${message.type}: ${formatMessage(message, pkg)}`);

// Are the types wrong? ESM-only packages: node16 (from ESM) and bundler resolution must be clean.
const attw = join(root, 'node_modules', '.bin', 'attw');
const types = spawnSync(attw, ['--pack', '.', '--profile', 'esm-only', '--format', 'ascii', '--no-color'], {
  cwd: dir,
  encoding: 'utf8',
});
if (types.status !== 0) problem(`@arethetypeswrong/cli:\n${types.stdout}${types.stderr}`);

if (problems.length > 0) {
  process.stderr.write(`${problems.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`${pkg.name}: publint, attw and package.json checks pass\n`);
