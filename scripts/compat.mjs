#!/usr/bin/env node
// `pnpm compat <dbt project dir> [--package name=dir ...] [--out file] [--keep] [--no-build]`
//
// Builds any dbt project directory with the shopsmart CLI, unmodified, on DuckDB: copies it to a
// temporary folder (with the folders its `local:` packages point at, so `local: ../` works),
// writes a DuckDB profiles.yml for the project's profile, runs `deps` then `build`, and prints the
// nodes built / passed / failed / skipped and the first error line of each failure, grouped by
// error. `--package dbt_date=/path/to/dbt-date` pre-installs a package the machine cannot fetch
// (deps keeps an installed copy whose version satisfies the range). The source folder is never
// written to.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
// The engine's own YAML parser (the root package has no dependencies of its own).
const { parse } = createRequire(join(repo, 'packages', 'core-runner', 'package.json'))('yaml');
const args = process.argv.slice(2);
const flag = (name) => {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const [value] = args.splice(index, 2).slice(1);
  return value;
};
const preinstalled = [];
for (let value = flag('--package'); value; value = flag('--package')) preinstalled.push(value);
const outFile = flag('--out');
const keep = args.includes('--keep');
const noBuild = args.includes('--no-build');
const projectArg = args.find((a) => !a.startsWith('--'));
if (!projectArg) {
  console.error(
    'usage: pnpm compat <dbt project dir> [--package name=dir] [--out file] [--keep] [--no-build]',
  );
  process.exit(2);
}
// pnpm runs scripts from the repository root; INIT_CWD is where `pnpm compat` was typed.
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm, not a build input
const callerDir = process.env.INIT_CWD ?? process.cwd();
const source = resolve(callerDir, projectArg);
if (!existsSync(join(source, 'dbt_project.yml'))) {
  console.error(`no dbt_project.yml in ${source}`);
  process.exit(2);
}

if (!noBuild) {
  const turbo = join(repo, 'node_modules', '.bin', 'turbo');
  const build = spawnSync(
    turbo,
    ['run', 'build', '--filter=@shopsmart/cli...', '--output-logs=errors-only'],
    {
      cwd: repo,
      encoding: 'utf8',
      env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env },
    },
  );
  if (build.status !== 0) {
    process.stderr.write(`${build.stdout}${build.stderr}\nthe CLI build failed\n`);
    process.exit(build.status ?? 1);
  }
}

const readYamlFile = (file) => (existsSync(file) ? (parse(readFileSync(file, 'utf8')) ?? {}) : {});

// The folder to copy: the project and every local package it (or its packages) point at.
function localPaths(dir, seen = new Set()) {
  if (seen.has(dir)) return [];
  seen.add(dir);
  const file = ['packages.yml', 'dependencies.yml'].map((f) => join(dir, f)).find(existsSync);
  const entries = file ? (readYamlFile(file).packages ?? []) : [];
  return entries
    .filter((entry) => entry && typeof entry.local === 'string')
    .flatMap((entry) => {
      const path = isAbsolute(entry.local) ? entry.local : resolve(dir, entry.local);
      return [path, ...localPaths(path, seen)];
    });
}
const commonAncestor = (paths) =>
  paths.reduce((a, b) => {
    const left = a.split(sep);
    const right = b.split(sep);
    let i = 0;
    while (i < left.length && left[i] === right[i]) i++;
    return left.slice(0, i).join(sep) || sep;
  });
const copyRoot = commonAncestor([source, ...localPaths(source)]);
const work = mkdtempSync(join(tmpdir(), 'shopsmart-compat-'));
const skipped = new Set(['.git', 'target', 'dbt_packages', 'dbt_modules', 'node_modules', 'logs', '.venv']);
cpSync(copyRoot, join(work, 'src'), {
  recursive: true,
  filter: (path) => {
    const name = path.split(sep).at(-1);
    return !skipped.has(name) && !name.endsWith('.duckdb') && !name.endsWith('.duckdb.wal');
  },
});
const project = join(work, 'src', relative(copyRoot, source));

for (const spec of preinstalled) {
  const [name, dir] = spec.split('=');
  const dest = join(project, 'dbt_packages', name);
  mkdirSync(dirname(dest), { recursive: true });
  cpSync(resolve(dir), dest, {
    recursive: true,
    filter: (path) => !skipped.has(path.split(sep).at(-1)) && !path.includes(`${sep}integration_tests`),
  });
}

const dbtProject = readYamlFile(join(project, 'dbt_project.yml'));
const profileName = dbtProject.profile ?? dbtProject.name;
const profiles = join(work, 'profiles');
mkdirSync(profiles);
writeFileSync(
  join(profiles, 'profiles.yml'),
  `${profileName}:\n  target: compat\n  outputs:\n    compat:\n      type: duckdb\n      path: ${join(work, 'compat.duckdb')}\n      threads: 2\n`,
);

const cli = join(repo, 'apps', 'cli', 'dist', 'bin.js');
const run = (command) =>
  spawnSync(process.execPath, [cli, ...command, '--project-dir', project, '--profiles-dir', profiles], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });

const lines = [];
const say = (line = '') => {
  lines.push(line);
  console.log(line);
};
say(`compat: ${source}`);
say(`copied ${copyRoot} → ${work}/src`);
const started = Date.now();
const deps = run(['deps']);
say(`$ shopsmart deps → exit ${deps.status}`);
for (const line of `${deps.stdout}${deps.stderr}`.trim().split('\n')) say(`  ${line}`);
// As dbt parses: one node that does not parse stops the whole project.
const strict = run(['build']);
const strictResults = join(project, 'target', 'run_results.json');
const strictLine =
  strict.status === 2 || !existsSync(strictResults)
    ? `did not parse: ${(`${strict.stdout}${strict.stderr}`.match(/^(- |error: )\[SSA-/gm) ?? []).length} problem(s), nothing built`
    : `exit ${strict.status}, ${JSON.parse(readFileSync(strictResults, 'utf8')).results.length} nodes ran`;
say(`$ shopsmart build → ${strictLine}`);
// Node by node: the nodes that do not parse are left out (and counted as failed).
rmSync(join(project, 'target'), { recursive: true, force: true });
rmSync(join(work, 'compat.duckdb'), { force: true });
const build = run(['build', '--skip-unparsable']);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
say(`$ shopsmart build --skip-unparsable → exit ${build.status} (${seconds} s for deps + both builds)`);
const leftOut = [
  ...`${build.stdout}${build.stderr}`.matchAll(/^(?:warning: )?(\S+) left out: \[(SSA-[A-Z0-9-]+)\] (.*)$/gm),
].map((m) => {
  const where = /^([^ ]+?:\d+|[^ ]+\.(?:sql|yml)): /.exec(m[3]);
  return {
    id: `${m[1].split('.').slice(2).join('.')}${where ? ` (${where[1]})` : ''}`,
    message: `[${m[2]}] ${where ? m[3].slice(where[0].length) : m[3]}`,
  };
});

const firstLine = (text) =>
  String(text ?? '')
    .split('\n')[0]
    .trim();
/** One group per kind of error: node names, quoted names and numbers taken out. */
const groupKey = (message) =>
  firstLine(message)
    .replace(/'[^']*'/g, "'…'")
    .replace(/"[^"]*"/g, '"…"')
    .replace(/`[^`]*`/g, '`…`')
    .replace(/\b\d+(\.\d+)?\b/g, 'N')
    .replace(/\b(named|function:|macro) [\w.]+/g, '$1 …')
    .replace(/\(in [^)]*\)|\((target|models|tests)\/[^)]*\)/g, '')
    .slice(0, 220);
const printGroups = (failures) => {
  const groups = new Map();
  for (const failure of failures) {
    const key = groupKey(failure.message);
    const group = groups.get(key) ?? [];
    group.push(failure);
    groups.set(key, group);
  }
  const sorted = [...groups.values()].sort((a, b) => b.length - a.length);
  for (const group of sorted) {
    say(`  ${String(group.length).padStart(4)} × ${firstLine(group[0].message).slice(0, 300)}`);
    say(
      `         e.g. ${group
        .slice(0, 3)
        .map((f) => f.id)
        .join(', ')}${group.length > 3 ? ', …' : ''}`,
    );
  }
};

const resultsFile = join(project, 'target', 'run_results.json');
const parsed = build.status !== 2 && existsSync(resultsFile);
if (!parsed) {
  const text = `${build.stdout}${build.stderr}`;
  const problems = [...text.matchAll(/^(?:- |error: )?\[(SSA-[A-Z0-9-]+)\] (.*)(?:\n\s+hint: (.*))?$/gm)].map(
    (m) => {
      const where = /^([^ ]+?:\d+|[^ ]+\.(?:sql|yml)): /.exec(m[2]);
      return {
        id: where ? where[1] : m[2].split(':')[0],
        message: `[${m[1]}] ${where ? m[2].slice(where[0].length) : m[2]}`,
        hint: m[3],
      };
    },
  );
  say(
    `the project did not parse: ${problems.length} problem${problems.length === 1 ? '' : 's'} (nothing built)`,
  );
  printGroups(problems.length > 0 ? problems : [{ id: 'build', message: firstLine(text) }]);
} else {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')).results;
  const ran = results.length;
  const kind = (r) => r.unique_id.split('.')[0];
  const count = (predicate) => results.filter(predicate).length;
  const isTest = (r) => kind(r) === 'test' || kind(r) === 'unit_test';
  const built = count((r) => !isTest(r) && r.status === 'success');
  const passed = count((r) => isTest(r) && (r.status === 'pass' || r.status === 'warn'));
  const failedResults = results.filter((r) => r.status === 'error' || r.status === 'fail');
  const skippedCount = count((r) => r.status === 'skipped');
  const ok = built + passed;
  const total = ran + leftOut.length;
  say(
    `nodes: ${total}  built: ${built}  passed: ${passed}  failed: ${failedResults.length + leftOut.length} ` +
      `(${leftOut.length} did not parse)  skipped: ${skippedCount}  (ok ${total ? ((100 * ok) / total).toFixed(1) : '0.0'}%)`,
  );
  const byKind = {};
  for (const r of results) {
    const k = kind(r);
    byKind[k] ??= { total: 0, ok: 0 };
    byKind[k].total++;
    if (['success', 'pass', 'warn'].includes(r.status)) byKind[k].ok++;
  }
  say(
    `  by type: ${Object.entries(byKind)
      .map(([k, v]) => `${k} ${v.ok}/${v.total}`)
      .join(', ')}`,
  );
  if (leftOut.length > 0) {
    say('did not parse (left out), grouped by error:');
    printGroups(leftOut);
  }
  if (failedResults.length > 0) {
    say('failed when run, grouped by error (first line):');
    printGroups(
      failedResults.map((r) => ({
        id: r.unique_id.split('.').slice(2).join('.'),
        message: r.status === 'fail' ? `test failed: ${firstLine(r.message)}` : r.message,
      })),
    );
  }
}
if (outFile) writeFileSync(resolve(callerDir, outFile), `${lines.join('\n')}\n`);
if (keep) say(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
