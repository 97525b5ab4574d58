import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI (`pnpm turbo build` makes it; the test task depends on build). */
export const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'bin.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns the real binary; resolves with the exit code and output (never rejects on a non-zero exit). */
export function shopsmart(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

/** A dbt project on DuckDB in a fresh temp dir (`<dir>/wh.duckdb`), with `files` on top. */
export function writeDbtProject(
  prefix: string,
  files: Record<string, string>,
): { dir: string; remove(): void; write(more: Record<string, string>): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const write = (more: Record<string, string>) => {
    for (const [path, text] of Object.entries(more)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  };
  write({
    'dbt_project.yml': 'name: shop\nprofile: shop\nconfig-version: 2\n',
    'profiles.yml': `shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${join(dir, 'wh.duckdb')}\n      threads: 1\n`,
    ...files,
  });
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
