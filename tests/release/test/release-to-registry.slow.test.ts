import {
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LocalRegistry,
  publishedTarball,
  publishedVersions,
  startLocalRegistry,
} from '../src/local-registry.js';
import { cloneHead, type RepoClone, repoRoot } from '../src/repo-clone.js';
import { childEnv, mustRun } from '../src/run-command.js';
import { bump, dependentsOf, type WorkspacePackage, workspacePackages } from '../src/workspace-packages.js';

// The release, end to end: on a temporary clone of HEAD, a changeset for staging is versioned and
// `pnpm release` publishes every package to a Verdaccio on 127.0.0.1 (throwaway storage, no
// uplinks); then a folder outside the workspace installs the CLI and the marts layer from it.

const consumerTemplate = join(dirname(fileURLToPath(import.meta.url)), '..', 'consumer');
const changesetSummary = 'Release test: a change to the staging layer.';

let clone: RepoClone;
let registry: LocalRegistry | undefined;
let consumer: string | undefined;
let before: WorkspacePackage[];
let after: WorkspacePackage[];

beforeAll(async () => {
  clone = await cloneHead('release');
  registry = await startLocalRegistry();
}, 300_000);

afterAll(async () => {
  try {
    await registry?.stop();
  } finally {
    clone?.remove();
    if (consumer) rmSync(consumer, { recursive: true, force: true });
  }
});

const publishable = (packages: WorkspacePackage[]) => packages.filter((p) => !p.private);

describe('release through changesets to a local registry (temporary clone of HEAD)', () => {
  it('`pnpm version-packages` bumps staging and every package built on it, and writes the changelogs', async () => {
    // Start from a released state: the changesets already pending on main are not this test's.
    for (const file of readdirSync(join(clone.dir, '.changeset'))) {
      if (file.endsWith('.md') && file !== 'README.md') rmSync(join(clone.dir, '.changeset', file));
    }
    writeFileSync(
      join(clone.dir, '.changeset', 'release-test-staging.md'),
      `---\n"@shopsmart/staging": minor\n---\n\n${changesetSummary}\n`,
    );
    before = workspacePackages(clone.dir);
    await clone.run('pnpm', ['version-packages']);
    after = workspacePackages(clone.dir);

    const dependents = dependentsOf('@shopsmart/staging', before);
    expect([...dependents].sort()).toEqual([
      '@shopsmart/cli',
      '@shopsmart/intermediate',
      '@shopsmart/marts',
      '@shopsmart/mockgen',
    ]);
    for (const old of before) {
      const now = after.find((p) => p.name === old.name);
      const expected =
        old.name === '@shopsmart/staging'
          ? bump(old.version, 'minor')
          : dependents.has(old.name) && !old.private
            ? bump(old.version, 'patch')
            : old.version;
      expect(now?.version, old.name).toBe(expected);
    }
    const staging = after.find((p) => p.name === '@shopsmart/staging') as WorkspacePackage;
    const changelog = readFileSync(join(clone.dir, staging.dir, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toContain(`## ${staging.version}\n\n### Minor Changes`);
    expect(changelog).toContain(changesetSummary);
    for (const name of dependents) {
      const pkg = after.find((p) => p.name === name) as WorkspacePackage;
      const text = readFileSync(join(clone.dir, pkg.dir, 'CHANGELOG.md'), 'utf8');
      expect(text, name).toContain(`## ${pkg.version}`);
      expect(text, name).toContain(`@shopsmart/staging@${staging.version}`);
    }
    expect(existsSync(join(clone.dir, '.changeset', 'release-test-staging.md'))).toBe(false);
    await clone.run('git', ['commit', '--quiet', '--all', '--message', 'Version packages']);
  });

  it('`pnpm release` builds and publishes every package at its new version to the registry', async () => {
    if (!registry) throw new Error('no registry');
    const host = registry.url.replace(/^http:/, '');
    const npmrc = join(registry.dir, 'npmrc');
    writeFileSync(
      npmrc,
      `registry=${registry.url}\n@shopsmart:registry=${registry.url}\n${host}:_authToken=fake-release-test-token\n`,
    );
    const env = {
      ...clone.env,
      NPM_CONFIG_USERCONFIG: npmrc,
      npm_config_registry: registry.url,
      'npm_config_@shopsmart:registry': registry.url,
    };
    // Nothing may be published anywhere else.
    expect((await clone.run('pnpm', ['config', 'get', 'registry'], { env })).stdout.trim()).toBe(
      registry.url,
    );
    const release = await clone.run('pnpm', ['release'], { env, timeoutMs: 900_000 });
    console.info(`pnpm release: ${(release.durationMs / 1000).toFixed(1)} s`);

    const sizes: string[] = [];
    for (const pkg of publishable(after)) {
      expect(await publishedVersions(registry, pkg.name), pkg.name).toEqual([pkg.version]);
      const response = await fetch(`${registry.url}${pkg.name.replace('/', '%2f')}/${pkg.version}`);
      const manifest = (await response.json()) as {
        dependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
      // pnpm publish turned workspace:^ into real ranges.
      for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
        expect(range, `${pkg.name} → ${dep}`).not.toMatch(/^workspace:/);
        const target = after.find((p) => p.name === dep);
        if (target) expect(range, `${pkg.name} → ${dep}`).toBe(`^${target.version}`);
      }
      if (pkg.peerDependencies['@shopsmart/core-runner'])
        expect(manifest.peerDependencies?.['@shopsmart/core-runner']).toBe('0.x');
      const tarball = await publishedTarball(registry, pkg.name, pkg.version);
      // What ships: the built code, and for a layer its dbt project; never sources or tests.
      expect(tarball.files, pkg.name).toContain('package/dist/index.js');
      expect(tarball.files, pkg.name).toContain('package/dist/index.d.ts');
      expect(
        tarball.files.filter((f) => /^package\/(src|test|e2e)\//.test(f)),
        pkg.name,
      ).toEqual([]);
      if (pkg.peerDependencies['@shopsmart/core-runner']) {
        expect(tarball.files, pkg.name).toContain('package/dist/manifest.json');
        expect(tarball.files, pkg.name).toContain('package/dbt_project.yml');
      }
      sizes.push(
        `${pkg.name}@${pkg.version}: ${tarball.files.length} files, ${(tarball.bytes / 1024).toFixed(0)} KiB packed`,
      );
    }
    console.info(`published:\n  ${sizes.join('\n  ')}`);
  });
});

describe('a consumer outside the workspace', () => {
  const tsVersions = () => {
    const root = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    return [
      `typescript@${root.devDependencies.typescript}`,
      `@types/node@${root.devDependencies['@types/node']}`,
    ];
  };
  const env = () => childEnv();

  it('installs @shopsmart/cli and @shopsmart/marts from the registry (the rest from npm)', async () => {
    if (!registry) throw new Error('no registry');
    consumer = mkdtempSync(join(tmpdir(), 'shopsmart-consumer-'));
    cpSync(consumerTemplate, consumer, { recursive: true });
    writeFileSync(
      join(consumer, 'package.json'),
      `${JSON.stringify({ name: 'shopsmart-consumer', private: true, type: 'module' }, null, 2)}\n`,
    );
    // Only the @shopsmart scope comes from the local registry; @duckdb/node-api, yaml, faker and
    // the rest from the registry this machine's npm is configured with.
    writeFileSync(join(consumer, '.npmrc'), `@shopsmart:registry=${registry.url}\n`);
    const install = await mustRun(
      'npm',
      ['install', '--no-audit', '--no-fund', '@shopsmart/cli', '@shopsmart/marts', ...tsVersions()],
      { cwd: consumer, env: env(), timeoutMs: 600_000 },
    );
    console.info(`npm install: ${(install.durationMs / 1000).toFixed(1)} s`);
    for (const name of ['cli', 'marts', 'intermediate', 'staging', 'quality', 'core-runner', 'mockgen']) {
      const dir = join(consumer, 'node_modules', '@shopsmart', name);
      // A real folder unpacked from a tarball, not a link into the workspace.
      expect(lstatSync(dir).isSymbolicLink(), name).toBe(false);
      const installed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
      expect(installed.version, name).toBe(after.find((p) => p.name === `@shopsmart/${name}`)?.version);
    }
    expect(
      existsSync(
        join(consumer, 'node_modules', '@shopsmart', 'marts', 'models', 'core', 'dim_customers.sql'),
      ),
    ).toBe(true);
    expect(existsSync(join(consumer, 'node_modules', '@shopsmart', 'marts', 'dist', 'manifest.json'))).toBe(
      true,
    );
  });

  it('the installed `shopsmart` generates a warehouse and builds the project from the installed layers', async () => {
    const dir = consumer as string;
    const shopsmart = join(dir, 'node_modules', '.bin', 'shopsmart');
    await mustRun(shopsmart, ['generate', '--scale', '0.1'], { cwd: dir, env: env() });
    const build = await mustRun(shopsmart, ['build'], { cwd: dir, env: env(), timeoutMs: 600_000 });
    expect(build.stdout).toMatch(/Finished build .*PASS=\d+/);
    expect(build.stdout).not.toMatch(/ERROR=|FAIL=[1-9]/);
    console.info(`shopsmart build: ${(build.durationMs / 1000).toFixed(1)} s`);
  });

  it('a TypeScript program compiles under tsc --strict, builds from code and reads the marts', async () => {
    const dir = consumer as string;
    await mustRun(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], {
      cwd: dir,
      env: env(),
    });
    const run = await mustRun('node', ['dist/build-from-code.js', 'warehouse/dev.duckdb'], {
      cwd: dir,
      env: env(),
      timeoutMs: 600_000,
    });
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as {
      success: boolean;
      nodes: number;
      failed: string[];
      before: Record<string, number>;
      after: Record<string, number>;
    };
    expect(summary.success).toBe(true);
    expect(summary.failed).toEqual([]);
    expect(summary.nodes).toBeGreaterThan(100);
    for (const mart of ['dim_customers', 'fct_orders', 'customer_analytics']) {
      // Rows from the CLI's build, and the same after the build from code.
      expect(summary.before[mart], mart).toBeGreaterThan(0);
      expect(summary.after[mart], mart).toBe(summary.before[mart]);
    }
  });
});
