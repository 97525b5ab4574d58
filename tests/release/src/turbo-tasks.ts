import type { RepoClone } from './repo-clone.js';

/** What `turbo run … --dry=json` says of one task. */
export interface DryTask {
  taskId: string;
  /** `<NONEXISTENT>` for a task the package has no script for (turbo keeps it in the graph). */
  command: string;
  hash: string;
  cache: { status: 'HIT' | 'MISS' };
}

/** `pnpm turbo <args> --dry=json` in the clone: the tasks turbo would run, by id. */
export async function dryRun(clone: RepoClone, args: string[]): Promise<Map<string, DryTask>> {
  const { stdout } = await clone.run('pnpm', ['--silent', 'turbo', ...args, '--dry=json']);
  const plan = JSON.parse(stdout) as { tasks: DryTask[] };
  return new Map(
    plan.tasks.filter((task) => task.command !== '<NONEXISTENT>').map((task) => [task.taskId, task]),
  );
}

/** Tasks whose hash differs between two dry runs of the same task list: what would run again. */
export function changedTasks(before: Map<string, DryTask>, after: Map<string, DryTask>): string[] {
  return [...after.values()]
    .filter((task) => before.get(task.taskId)?.hash !== task.hash)
    .map((task) => task.taskId)
    .sort();
}

/** A real `pnpm turbo <args>`: which tasks were cache hits and which ran. */
export async function turboRun(
  clone: RepoClone,
  args: string[],
): Promise<{ hits: string[]; misses: string[]; durationMs: number }> {
  const result = await clone.run('pnpm', ['--silent', 'turbo', ...args, '--output-logs=hash-only'], {
    timeoutMs: 900_000,
  });
  const hits: string[] = [];
  const misses: string[] = [];
  for (const match of result.stdout.matchAll(/^(\S+):(\S+): cache (hit|miss|bypass)/gm)) {
    (match[3] === 'hit' ? hits : misses).push(`${match[1]}#${match[2]}`);
  }
  return { hits: hits.sort(), misses: misses.sort(), durationMs: result.durationMs };
}
