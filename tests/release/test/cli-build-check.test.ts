import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/repo-clone.js';

// `pnpm cli` (scripts/cli.mjs) skips Turborepo when its stamp says nothing changed since the last
// build it made, and asks Turborepo otherwise. Run here on a small workspace whose `turbo` is a
// stand-in that logs each call and writes the dist/ files, so every case is seen: a fresh clone, no
// change, an edit, a new, deleted or renamed file, a lockfile change, a deleted dist/, a failed build.

let dir: string;
const turboLog = () => join(dir, 'turbo-calls.log');
const turboCalls = () =>
  existsSync(turboLog()) ? readFileSync(turboLog(), 'utf8').trim().split('\n').length : 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function write(path: string, text: string) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

/** Runs `node scripts/cli.mjs hello`; says whether Turborepo ran and what the command printed. */
function cli() {
  const before = turboCalls();
  const result = spawnSync(process.execPath, [join(dir, 'scripts', 'cli.mjs'), 'hello'], {
    cwd: dir,
    encoding: 'utf8',
  });
  return {
    turbo: turboCalls() > before,
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

/** The next `pnpm cli` after an edit sees it even when it comes at once; later ones may skip. */
async function expectRebuildThenSkip() {
  const first = cli();
  expect(first.turbo).toBe(true);
  expect(first.stdout).toContain('ran hello');
  // A file changed within the stamp's clock margin (0.5 s) before a build's check counts as
  // changed once more; after that, the next command skips Turborepo.
  await sleep(600);
  cli();
  expect(cli()).toMatchObject({ turbo: false, status: 0, stdout: 'ran hello\n' });
}

describe('pnpm cli: the build check before a command', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shopsmart-cli-build-check-'));
    mkdirSync(join(dir, 'scripts'), { recursive: true });
    for (const script of ['cli.mjs', 'build-freshness.mjs'])
      copyFileSync(join(repoRoot, 'scripts', script), join(dir, 'scripts', script));
    write('package.json', JSON.stringify({ name: 'fixture-root', private: true, type: 'module' }));
    write('pnpm-lock.yaml', 'lockfileVersion: 9.0\n');
    write('turbo.json', '{}\n');
    write(
      'apps/cli/package.json',
      JSON.stringify({
        name: '@shopsmart/cli',
        type: 'module',
        scripts: { build: 'tsup' },
        dependencies: { '@shopsmart/lib': 'workspace:^', 'left-pad': '^1.0.0' },
      }),
    );
    write('apps/cli/src/index.ts', 'export const cli = 1;\n');
    write(
      'packages/lib/package.json',
      JSON.stringify({ name: '@shopsmart/lib', type: 'module', scripts: { build: 'tsup' } }),
    );
    write('packages/lib/src/index.ts', 'export const lib = 1;\n');
    write('packages/lib/src/other.ts', 'export const other = 1;\n');
    // Not in the CLI's package graph: edits there never concern `pnpm cli`.
    write('packages/unrelated/package.json', JSON.stringify({ name: '@shopsmart/unrelated' }));
    write('packages/unrelated/src/index.ts', 'export const unrelated = 1;\n');
    // The stand-in for Turborepo: logs the call, fails when FAIL exists, else writes dist/.
    write(
      'node_modules/.bin/turbo',
      [
        '#!/bin/sh',
        `echo "$@" >> "${turboLog()}"`,
        `if [ -e "${join(dir, 'FAIL')}" ]; then echo "lib: build failed" >&2; exit 2; fi`,
        `mkdir -p "${dir}/apps/cli/dist" "${dir}/packages/lib/dist"`,
        `echo 'export async function main(args) { console.log("ran " + args.join(" ")); return 0; }' > "${dir}/apps/cli/dist/index.js"`,
        `echo 'export const lib = 1;' > "${dir}/packages/lib/dist/index.js"`,
        '',
      ].join('\n'),
    );
    chmodSync(join(dir, 'node_modules/.bin/turbo'), 0o755);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds on a fresh clone (no stamp), then skips Turborepo while nothing changes', async () => {
    await sleep(600);
    const first = cli();
    expect(first).toMatchObject({ turbo: true, status: 0, stdout: 'ran hello\n' });
    expect(readFileSync(turboLog(), 'utf8')).toContain('run build --filter=@shopsmart/cli...');
    for (let i = 0; i < 3; i++)
      expect(cli()).toMatchObject({ turbo: false, status: 0, stdout: 'ran hello\n' });
  });

  it('asks Turborepo again after an edit to a package the CLI depends on', async () => {
    appendFileSync(join(dir, 'packages/lib/src/index.ts'), 'export const edited = 2;\n');
    await expectRebuildThenSkip();
  });

  it('after a new file, a deleted file and a renamed file (whose mtime a rename keeps)', async () => {
    write('packages/lib/src/new.ts', 'export const added = 1;\n');
    await expectRebuildThenSkip();
    rmSync(join(dir, 'packages/lib/src/new.ts'));
    expect(cli().turbo).toBe(true);
    expect(cli().turbo).toBe(false);
    renameSync(join(dir, 'packages/lib/src/other.ts'), join(dir, 'packages/lib/src/renamed.ts'));
    expect(cli().turbo).toBe(true);
    expect(cli().turbo).toBe(false);
  });

  it('after a lockfile change and after an edit to the CLI itself, not after an unrelated package', async () => {
    appendFileSync(join(dir, 'pnpm-lock.yaml'), '# changed\n');
    await expectRebuildThenSkip();
    appendFileSync(join(dir, 'apps/cli/src/index.ts'), '// edited\n');
    await expectRebuildThenSkip();
    appendFileSync(join(dir, 'packages/unrelated/src/index.ts'), '// edited\n');
    expect(cli().turbo).toBe(false);
  });

  it('after a dist/ file is changed or dist/ is deleted', () => {
    appendFileSync(join(dir, 'packages/lib/dist/index.js'), '// stale\n');
    expect(cli().turbo).toBe(true);
    expect(cli().turbo).toBe(false);
    rmSync(join(dir, 'packages/lib/dist'), { recursive: true });
    expect(cli().turbo).toBe(true);
    expect(existsSync(join(dir, 'packages/lib/dist/index.js'))).toBe(true);
    expect(cli().turbo).toBe(false);
  });

  it('a failed build stops the command, shows the build output and is retried next time', async () => {
    appendFileSync(join(dir, 'packages/lib/src/index.ts'), 'export const broken = ;\n');
    write('FAIL', '');
    const failed = cli();
    expect(failed.turbo).toBe(true);
    expect(failed.status).toBe(2);
    expect(failed.stdout).not.toContain('ran hello');
    expect(failed.stderr).toContain('lib: build failed');
    expect(failed.stderr).toContain('the build failed before the command could run');
    rmSync(join(dir, 'FAIL'));
    await sleep(600);
    // The failure recorded no stamp: the same tree is checked by Turborepo again.
    expect(cli()).toMatchObject({ turbo: true, status: 0, stdout: 'ran hello\n' });
    expect(cli().turbo).toBe(false);
  });
});
