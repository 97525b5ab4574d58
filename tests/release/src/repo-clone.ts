import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CommandResult, childEnv, mustRun, type RunOptions } from './run-command.js';

/** The repository this package lives in. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A temporary clone of the repository at HEAD, installed, with its own Turborepo cache. */
export interface RepoClone {
  dir: string;
  /** The commit it was cloned at. */
  head: string;
  /** Environment for commands in the clone: its own turbo cache, no telemetry. */
  env: NodeJS.ProcessEnv;
  /** Runs a command in the clone (or a folder below it); throws with its output on failure. */
  run(command: string, args: string[], options?: Partial<RunOptions>): Promise<CommandResult>;
  remove(): void;
}

/**
 * The Turborepo cache of this checkout (the main work tree's .turbo/cache, which linked work trees
 * share). A clone at HEAD hashes its tasks as the workspace does, so it finds what `pnpm test` built.
 */
async function workspaceTurboCache(): Promise<string> {
  if (process.env.TURBO_CACHE_DIR) return resolve(repoRoot, process.env.TURBO_CACHE_DIR);
  const common = (
    await mustRun('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: repoRoot })
  ).stdout.trim();
  return join(dirname(common), '.turbo', 'cache');
}

/**
 * `git clone` of this repository's HEAD into a temp dir, then `pnpm install` from the local store.
 * Only what is committed is there: the tests check the release of HEAD, not of the work tree.
 */
export async function cloneHead(
  prefix: string,
  options: { turboCache: 'own' | 'workspace' } = { turboCache: 'own' },
): Promise<RepoClone> {
  const head = (await mustRun('git', ['rev-parse', 'HEAD'], { cwd: repoRoot })).stdout.trim();
  const dir = mkdtempSync(join(tmpdir(), `shopsmart-${prefix}-`));
  const env = childEnv({
    TURBO_CACHE_DIR:
      options.turboCache === 'own' ? join(dir, '.turbo', 'cache') : await workspaceTurboCache(),
    GIT_AUTHOR_NAME: 'release test',
    GIT_AUTHOR_EMAIL: 'release-test@localhost',
    GIT_COMMITTER_NAME: 'release test',
    GIT_COMMITTER_EMAIL: 'release-test@localhost',
  });
  const run = (command: string, args: string[], options: Partial<RunOptions> = {}) =>
    mustRun(command, args, {
      cwd: options.cwd ?? dir,
      env: options.env ?? env,
      timeoutMs: options.timeoutMs,
    });
  try {
    await mustRun('git', ['clone', '--quiet', '--no-checkout', repoRoot, dir], { cwd: tmpdir(), env });
    await run('git', ['checkout', '--quiet', '--detach', head]);
    await run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline', '--reporter=silent']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, head, env, run, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
