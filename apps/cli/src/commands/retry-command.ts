import { EventBus, executeRun, planRetry } from '@shopsmart/core-runner';
import type { CliArgs } from '../cli-options.js';
import { createEventPrinter, type Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';
import { openProject } from '../project-session.js';
import { printFailures } from './run-command.js';

/**
 * dbt's `retry`: runs the last build/run/test/seed/snapshot again with its arguments, only for the
 * nodes that errored, failed or were skipped (from target/run_results.json).
 */
export async function retryCommand(args: CliArgs, output: Output): Promise<number> {
  const project = await openProject(args);
  const plan = planRetry(project.definition.targetPath, project.definition.rootDir);
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
    ...(args.threads !== undefined ? { threads: args.threads } : {}),
    only: plan.retry,
    events,
  });
  if (!outcome.success && args.logFormat === 'text') printFailures(project, outcome, output);
  return outcome.success ? ExitCode.ok : ExitCode.nodeFailed;
}
