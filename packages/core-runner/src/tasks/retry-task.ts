import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ShopsmartError } from '../errors.js';
import type { IndirectSelection } from '../graph/graph-types.js';
import type { RunCommand, RunOptions } from './run-task.js';

/** The statuses dbt's `retry` runs again. */
export const RETRYABLE_STATUSES = ['error', 'fail', 'skipped', 'runtime error', 'partial success'] as const;

const retryableCommands: readonly RunCommand[] = ['build', 'run', 'seed', 'test', 'snapshot'];

/** What `retry` will do: the previous command, its options, and the nodes to run again. */
export interface RetryPlan {
  command: RunCommand;
  /** The previous invocation's options (selection, threads, full refresh, flags). */
  options: Omit<RunOptions, 'events'>;
  /** uniqueIds that errored, failed or were skipped last time. */
  retry: string[];
  /** Microbatch models that partly succeeded: only their failed batches (ISO start, end) run again. */
  batches: Record<string, [string, string][]>;
  /** The previous invocation's target and `--vars` (dbt reuses them unless given again). */
  target?: string;
  vars?: Record<string, unknown>;
}

interface SavedRunResults {
  args?: Record<string, unknown>;
  results?: {
    unique_id: string;
    status: string;
    batch_results?: { failed?: [string, string][] } | null;
  }[];
}

/**
 * Reads `target/run_results.json` and plans dbt's `retry`: the same command with the same
 * arguments (selection, threads, full refresh, fail-fast, empty; target and `--vars` for the
 * caller to reuse), restricted to the nodes whose status was error, fail, skipped, runtime error or
 * partial success (of a microbatch model: then only its failed batches run again).
 * A missing or unreadable file, or a last command that `retry` cannot repeat, is an error.
 *
 * @example
 * const plan = planRetry('/project/target', '/project');
 * await executeRun(project, { ...plan.options, only: plan.retry, events });
 */
export function planRetry(targetPath: string, rootDir: string): RetryPlan {
  const file = join(targetPath, 'run_results.json');
  const shown = relative(rootDir, file) || file;
  if (!existsSync(file))
    throw new ShopsmartError('SSA-RETRY-404', `retry: no ${shown} to retry from`, {
      file: shown,
      hint: 'run build, run, test, seed or snapshot first; retry re-runs what errored, failed or was skipped in it',
    });
  let saved: SavedRunResults;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as SavedRunResults;
  } catch (error) {
    throw new ShopsmartError('SSA-RETRY-READ', `retry: ${shown} is not valid JSON`, {
      file: shown,
      hint: `run the command again instead (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    });
  }
  const args = saved.args ?? {};
  const command = args.which;
  if (typeof command !== 'string' || !(retryableCommands as readonly string[]).includes(command))
    throw new ShopsmartError(
      'SSA-RETRY-COMMAND',
      `retry: the last command in ${shown} was '${String(command)}', which retry cannot repeat`,
      { file: shown, hint: `retry repeats ${retryableCommands.join(', ')}` },
    );
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
  const retry = (saved.results ?? [])
    .filter((r) => (RETRYABLE_STATUSES as readonly string[]).includes(r.status))
    .map((r) => r.unique_id);
  // dbt: a `partial success` reruns only the batches that failed.
  const batches: Record<string, [string, string][]> = {};
  for (const r of saved.results ?? []) {
    const failed = r.batch_results?.failed;
    if (r.status === 'partial success' && Array.isArray(failed) && failed.length > 0)
      batches[r.unique_id] = failed.map(([from, to]) => [String(from), String(to)]);
  }
  const vars = args.vars;
  return {
    command: command as RunCommand,
    retry,
    batches,
    ...(typeof args.target === 'string' ? { target: args.target } : {}),
    ...(vars && typeof vars === 'object' && !Array.isArray(vars)
      ? { vars: { ...(vars as Record<string, unknown>) } }
      : {}),
    options: {
      command: command as RunCommand,
      select: strings(args.select),
      exclude: strings(args.exclude),
      ...(typeof args.selector === 'string' ? { selector: args.selector } : {}),
      ...(typeof args.threads === 'number' ? { threads: args.threads } : {}),
      fullRefresh: args.fullRefresh === true || args.full_refresh === true,
      ...(typeof args.indirect_selection === 'string'
        ? { indirectSelection: args.indirect_selection as IndirectSelection }
        : {}),
      ...(args.fail_fast === true ? { failFast: true } : {}),
      ...(args.empty === true ? { empty: true } : {}),
      // As in dbt, --warn-error is not carried over: it is the retry's own flag.
    },
  };
}
