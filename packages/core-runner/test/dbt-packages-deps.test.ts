import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  installPackages,
  packagesHash,
  readPackagesFile,
  reduceVersions,
  resolveVersion,
} from '../src/index.js';
import { caught, type Fixture, writeFiles, writeFixture } from './fixture-project.js';

// https://docs.getdbt.com/docs/build/packages and https://docs.getdbt.com/reference/commands/deps:
// packages.yml / dependencies.yml, local / git / hub entries, dbt_packages/, package-lock.yml.
const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

// No network in tests: the hub is a closed local port, so a hub lookup fails at once.
beforeAll(() => {
  process.env.DBT_PACKAGE_HUB_URL = 'http://127.0.0.1:9/';
});

const project = (packagesYml: string, more: Record<string, string> = {}) => {
  const fx = writeFixture({
    'packages.yml': packagesYml,
    'vendor/helpers/dbt_project.yml': "name: helpers\nversion: '1.4.0'\n",
    'vendor/helpers/macros/shout.sql': '{% macro shout(x) %}upper({{ x }}){% endmacro %}\n',
    'vendor/helpers/packages.yml': 'packages:\n  - local: ../base\n',
    'vendor/base/dbt_project.yml': "name: base\nversion: '0.3.1'\n",
    ...more,
  });
  fixtures.push(fx);
  return fx;
};

describe('deps: local packages (no network needed)', () => {
  it('links each local package (and the packages it declares) into dbt_packages/ under its project name', async () => {
    const fx = project('packages:\n  - local: vendor/helpers\n');
    const lines: string[] = [];
    const result = await installPackages(fx.dir, { onEvent: (line) => lines.push(line) });
    expect(result.packages.map((p) => [p.name, p.source, p.version])).toEqual([
      ['base', 'local', '../base'],
      ['helpers', 'local', 'vendor/helpers'],
    ]);
    const helpers = join(fx.dir, 'dbt_packages', 'helpers');
    expect(lstatSync(helpers).isSymbolicLink()).toBe(true);
    expect(readlinkSync(helpers)).toBe('../vendor/helpers');
    expect(existsSync(join(fx.dir, 'dbt_packages', 'base', 'dbt_project.yml'))).toBe(true);
    expect(lines).toContain('Installing helpers');
  });

  it('writes package-lock.yml as dbt does: sorted keys, the name of each package, the sha1 of packages.yml', async () => {
    const fx = project('packages:\n  - local: vendor/helpers\n');
    await installPackages(fx.dir);
    const lock = readFileSync(join(fx.dir, 'package-lock.yml'), 'utf8');
    const { packages } = readPackagesFile(fx.dir);
    expect(lock).toBe(
      `packages:\n  - local: ../base\n    name: base\n  - local: vendor/helpers\n    name: helpers\nsha1_hash: ${packagesHash(packages.specs)}\n`,
    );
  });

  it('hashes packages.yml exactly as dbt (the value dbt wrote for `- local: ../`)', () => {
    const fx = writeFixture({ 'packages.yml': 'packages:\n  - local: ../\n' });
    fixtures.push(fx);
    // dbt-core's _create_sha1_hash over [{"local": "../", "unrendered": {"local": "../"}}].
    expect(packagesHash(readPackagesFile(fx.dir).packages.specs)).toBe(
      'de2deba3d66ce03d8c02949013650cc9b94f6030',
    );
  });

  it('reads dependencies.yml when there is no packages.yml, and renders env_var()', async () => {
    process.env.SSA_PKG_DIR = 'vendor/base';
    const fx = writeFixture({
      'dependencies.yml': 'packages:\n  - local: "{{ env_var(\'SSA_PKG_DIR\') }}"\n',
      'vendor/base/dbt_project.yml': 'name: base\n',
    });
    fixtures.push(fx);
    const result = await installPackages(fx.dir);
    expect(result.packages.map((p) => p.name)).toEqual(['base']);
  });

  it('names a local package whose folder has no dbt_project.yml', async () => {
    const fx = project('packages:\n  - local: vendor/missing\n');
    const error = await caught(() => installPackages(fx.dir));
    expect(error.code).toBe('SSA-DEPS-404');
    expect(error.message).toContain("local package 'vendor/missing'");
    expect(error.file).toBe('packages.yml');
  });
});

describe('deps: hub and git packages without network', () => {
  it('fails on a hub package with an error naming it, its range and what to do', async () => {
    const fx = project('packages:\n  - package: acme/dbt_thing\n    version: [">=0.9.0", "<1.0.0"]\n');
    const error = await caught(() => installPackages(fx.dir));
    expect(error.code).toBe('SSA-DEPS-503');
    expect(error.message).toContain(
      "hub package 'acme/dbt_thing' (version >=0.9.0,<1.0.0) cannot be fetched",
    );
    expect(String(error.hint)).toContain('dbt_packages/dbt_thing');
    expect(error.line).toBe(2);
  });

  it('keeps an installed copy whose version is in the range, and refuses one outside it', async () => {
    const fx = project('packages:\n  - package: acme/dbt_thing\n    version: [">=0.9.0", "<1.0.0"]\n', {
      'dbt_packages/dbt_thing/dbt_project.yml': "name: dbt_thing\nversion: '0.21.0'\n",
    });
    const result = await installPackages(fx.dir);
    expect(result.packages).toEqual([{ name: 'dbt_thing', source: 'hub', version: '0.21.0', kept: true }]);
    expect(readFileSync(join(fx.dir, 'package-lock.yml'), 'utf8')).toContain(
      '  - name: dbt_thing\n    package: acme/dbt_thing\n    version: 0.21.0\n',
    );
    writeFiles(fx.dir, { 'dbt_packages/dbt_thing/dbt_project.yml': "name: dbt_thing\nversion: '1.2.0'\n" });
    const error = await caught(() => installPackages(fx.dir, { upgrade: true }));
    expect(error.message).toContain('holds version 1.2.0, outside >=0.9.0,<1.0.0');
  });

  it('fails on a git package that cannot be cloned, naming the URL and revision', async () => {
    const fx = project('packages:\n  - git: "file:///nonexistent/dbt-thing.git"\n    revision: 1.0.0\n');
    const error = await caught(() => installPackages(fx.dir));
    expect(error.code).toBe('SSA-DEPS-503');
    expect(error.message).toContain(
      "git package 'file:///nonexistent/dbt-thing.git' (revision 1.0.0) cannot be fetched",
    );
  });

  it('clones a reachable git repository at a revision and subdirectory, pinning the commit in the lock', async () => {
    const fx = project('');
    const repo = join(fx.dir, 'repo');
    writeFiles(repo, { 'pkg/dbt_project.yml': "name: from_git\nversion: '2.0.0'\n", 'pkg/macros/m.sql': '' });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: repo })
        .toString()
        .trim();
    git('init', '--quiet');
    git('add', '.');
    git('commit', '--quiet', '-m', 'v2');
    git('tag', '2.0.0');
    const sha = git('rev-parse', 'HEAD');
    writeFiles(fx.dir, {
      'packages.yml': `packages:\n  - git: "${repo}"\n    revision: 2.0.0\n    subdirectory: pkg\n`,
    });
    const result = await installPackages(fx.dir);
    expect(result.packages).toEqual([{ name: 'from_git', source: 'git', version: sha, kept: false }]);
    expect(existsSync(join(fx.dir, 'dbt_packages', 'from_git', 'macros', 'm.sql'))).toBe(true);
    expect(readFileSync(join(fx.dir, 'package-lock.yml'), 'utf8')).toContain(
      `  - git: ${repo}\n    name: from_git\n    revision: ${sha}\n    subdirectory: pkg\n`,
    );
  });
});

describe('version ranges, as dbt resolves them (dbt/semver.py)', () => {
  it('intersects the ranges of every entry and picks the highest release inside', () => {
    const reduced = reduceVersions(['>=0.9.0', '<1.0.0'], ['>=0.10.0']);
    if (!('range' in reduced)) throw new Error(reduced.error);
    expect(resolveVersion(reduced.range, ['0.9.5', '0.10.0', '0.21.0', '1.0.0', '0.22.0-b1'])).toBe('0.21.0');
    expect(resolveVersion(reduced.range, ['0.22.0-b1', '0.21.0'], true)).toBe('0.22.0-b1');
    expect(resolveVersion(reduced.range, ['0.9.0', '1.1.0'])).toBeUndefined();
  });

  it('reads 1.2 as 1.2.0, exact pins, and reports ranges that cannot meet', () => {
    const pinned = reduceVersions(['1.2']);
    if (!('range' in pinned)) throw new Error(pinned.error);
    expect(resolveVersion(pinned.range, ['1.1.9', '1.2.0', '1.2.1'])).toBe('1.2.0');
    expect(reduceVersions(['>=2.0.0'], ['<1.0.0'])).toEqual({
      error: 'no version satisfies every requirement (>=2.0.0, <1.0.0)',
    });
    expect(reduceVersions(['latest'])).toHaveProperty('error');
  });
});
