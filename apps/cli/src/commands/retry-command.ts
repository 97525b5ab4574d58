import { EventBus, executeRun, planRetry } from '@shopsmart/core-runner';
import type { CliArgs } from '../cli-options.js';
import { createEventPrinter, type Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';
import { runFlagsOf } from '../ops-flags.js';
import { openProject, openTarget } from '../project-session.js';
import { printFailures } from './run-command.js';

/**
 * dbt's `retry`: runs the last build/run/test/seed/snapshot again with its arguments, only for the
 * nodes that errored, failed or were skipped (from target/run_results.json).
 */
export async function retryCommand(args: CliArgs, output: Output): Promise<number> {
  // Where the last run_results.json is needs only the project file, not a parse (which may need
  // the last run's --vars).
  const { definition } = await openTarget(args);
  const plan = planRetry(definition.targetPath, definition.rootDir);
  // dbt reuses the last invocation's target and --vars unless they are given again.
  const target = args.target ?? plan.target;
  const vars = Object.keys(args.vars).length === 0 && plan.vars ? plan.vars : args.vars;
  const project = await openProject({ ...args, vars, ...(target !== undefined ? { target } : {}) }, output);
  const events = new EventBus(createEventPrinter(args.logFormat, output));
  if (plan.retry.length === 0) {
    events.emit({
      kind: 'log',
      level: 'info',
      message: `Nothing to retry: every node of the last ${plan.command} passed`,
    });
    return ExitCode.ok;
  }
  events.emit({
    kind: 'log',
    level: 'info',
    message: `Retrying ${plan.command}: ${plan.retry.length} node${plan.retry.length === 1 ? '' : 's'} errored, failed or were skipped last time`,
  });
  const outcome = await executeRun(project, {
    ...plan.options,
    ...(await runFlagsOf(args)),
    failFast: plan.options.failFast ?? false,
    empty: plan.options.empty ?? false,
    cliVars: vars,
    ...(args.threads !== undefined ? { threads: args.threads } : {}),
    only: plan.retry,
    retryBatches: plan.batches,
    events,
  });
  if (!outcome.success && args.logFormat === 'text') printFailures(project, outcome, output);
  return outcome.success ? ExitCode.ok : ExitCode.nodeFailed;
}
