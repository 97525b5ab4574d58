import {
  EventBus,
  executeRun,
  type ParsedProject,
  type RunCommand,
  type RunResults,
} from '@shopsmart/core-runner';
import type { CliArgs } from '../cli-options.js';
import { createEventPrinter, type Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';
import { catchInterrupts, interruptedLine } from '../interrupts.js';
import { runFlagsOf, selectionOf } from '../ops-flags.js';
import { openProject, readState } from '../project-session.js';
import { UsageError } from '../usage-error.js';

/**
 * build | run | seed | test | snapshot: parse, select, execute; exit 1 when any node failed,
 * 130 when interrupted (Ctrl-C / SIGTERM: the run stops in good order, see interrupts.ts).
 */
export async function runCommand(args: CliArgs, output: Output): Promise<number> {
  const interrupts = catchInterrupts(output);
  try {
    return await runSelected(args, output, interrupts.signal);
  } catch (error) {
    // Interrupted before any node ran (parsing, waiting for the warehouse): nothing was written.
    if (!interrupts.signal.aborted) throw error;
    output.err(interruptedLine(0, 0));
    return ExitCode.interrupted;
  } finally {
    interrupts.release();
  }
}

async function runSelected(args: CliArgs, output: Output, signal: AbortSignal): Promise<number> {
  const project = await openProject(args, output);
  const events = new EventBus(createEventPrinter(args.logFormat, output));
  const { state, results, defer } = readState(args, project.definition.targetPath);
  const outcome = await executeRun(project, {
    ...(await runFlagsOf(args)),
    ...selectionOf(args, project.definition.rootDir),
    command: args.command as RunCommand,
    cliVars: args.vars,
    select: args.select,
    exclude: args.exclude,
    fullRefresh: args.fullRefresh,
    ...eventTimeOf(args),
    threads: args.threads,
    state,
    results,
    defer,
    indirectSelection: args.indirectSelection,
    events,
    signal,
  });
  if (outcome.interrupted) {
    const count = (status: string) => outcome.results.filter((r) => r.status === status).length;
    const done = outcome.results.length - count('cancelled') - count('skipped');
    output.err(interruptedLine(done, count('cancelled')));
    return ExitCode.interrupted;
  }
  if (!outcome.success && args.logFormat === 'text') printFailures(project, outcome, output);
  return outcome.success ? ExitCode.ok : ExitCode.nodeFailed;
}

/** dbt's summary of what went wrong, after the run's lines. */
export function printFailures(project: ParsedProject, outcome: RunResults, output: Output): void {
  output.out('');
  for (const result of outcome.results.filter((r) => r.status === 'error' || r.status === 'fail')) {
    const node = project.manifest.nodes[result.uniqueId];
    output.out(
      `${result.status === 'fail' ? 'Failure' : 'Error'} in ${node?.resourceType} ${node?.name} (${node?.originalFilePath}): ${result.message}`,
    );
    if (result.error?.line && result.status === 'error')
      output.out(
        `  compiled SQL: ${project.definition.targetPath}/run/${node?.packageName}/${node?.originalFilePath}`,
      );
  }
}

/** `--event-time-start` / `--event-time-end` (dbt 1.9, microbatch models). */
function eventTimeOf(args: CliArgs): { eventTimeStart?: string; eventTimeEnd?: string } {
  const o = args.options as { eventTimeStart?: string; eventTimeEnd?: string };
  const when = (flag: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    if (
      Number.isNaN(
        new Date(value.includes('T') || value.includes(' ') ? value : `${value}T00:00:00Z`).getTime(),
      )
    )
      throw new UsageError(
        `${flag} '${value}' is not a date or timestamp (e.g. 2024-01-01 or 2024-01-01T06:00:00)`,
      );
    return value;
  };
  const start = when('--event-time-start', o.eventTimeStart);
  const end = when('--event-time-end', o.eventTimeEnd);
  if (start && end && new Date(start) >= new Date(end))
    throw new UsageError('--event-time-start must be before --event-time-end');
  return { ...(start ? { eventTimeStart: start } : {}), ...(end ? { eventTimeEnd: end } : {}) };
}
