import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where a git or hub package was fetched to (a temporary folder the installer moves or copies). */
export interface Fetched {
  dir: string;
  /** The commit a git package resolved to; the version a hub package resolved to. */
  pinned: string;
  cleanup: () => void;
}

const firstLine = (error: unknown): string => {
  const stderr = (error as { stderr?: Buffer | string }).stderr;
  const text = stderr ? String(stderr) : error instanceof Error ? error.message : String(error);
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? 'failed'
  );
};

/**
 * `git clone` of a package (then `git checkout <revision>`); no prompt for credentials, a time
 * limit, so that a machine without network fails at once with git's own message.
 */
export function fetchGit(url: string, revision: string | undefined): Fetched | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'shopsmart-git-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const git = (args: string[], cwd?: string) =>
    execFileSync('git', args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    })
      .toString()
      .trim();
  try {
    git(['clone', '--quiet', url, join(dir, 'repo')]);
    const repo = join(dir, 'repo');
    if (revision) git(['checkout', '--quiet', revision], repo);
    return { dir: repo, pinned: git(['rev-parse', 'HEAD'], repo), cleanup };
  } catch (error) {
    cleanup();
    return { error: firstLine(error) };
  }
}

/** The package hub (dbt's `DBT_PACKAGE_HUB_URL`, default hub.getdbt.com). */
export function hubUrl(): string {
  return (process.env.DBT_PACKAGE_HUB_URL ?? 'https://hub.getdbt.com/').replace(/\/?$/, '/');
}

/** The versions the hub lists for `org/name`, with each one's tarball. */
export async function hubVersions(
  pkg: string,
): Promise<{ versions: Record<string, string> } | { error: string }> {
  try {
    const response = await fetch(`${hubUrl()}api/v1/${pkg}.json`, { signal: AbortSignal.timeout(15_000) });
    if (response.status === 404) return { error: 'the hub has no such package' };
    if (!response.ok) return { error: `the hub answered ${response.status}` };
    const index = (await response.json()) as {
      versions?: Record<string, { downloads?: { tarball?: string } }>;
    };
    const versions: Record<string, string> = {};
    for (const [version, info] of Object.entries(index.versions ?? {}))
      if (info.downloads?.tarball) versions[version] = info.downloads.tarball;
    return { versions };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { error: cause?.code ?? cause?.message ?? firstLine(error) };
  }
}

/** Downloads and unpacks a hub tarball; the package is the archive's single top folder. */
export async function fetchTarball(url: string, pinned: string): Promise<Fetched | { error: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'shopsmart-hub-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    if (!response.ok) throw new Error(`download answered ${response.status}`);
    const archive = join(dir, 'package.tar.gz');
    writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
    const out = join(dir, 'unpacked');
    execFileSync('mkdir', ['-p', out]);
    execFileSync('tar', ['-xzf', archive, '-C', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    const top = readdirSync(out);
    const root =
      top.length === 1 && existsSync(join(out, top[0] as string, 'dbt_project.yml'))
        ? join(out, top[0] as string)
        : out;
    return { dir: root, pinned, cleanup };
  } catch (error) {
    cleanup();
    return { error: firstLine(error) };
  }
}
