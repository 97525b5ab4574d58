import { checkSourceFreshness, type EngineEvent, EventBus } from '@shopsmart/core-runner';
import type { CliArgs } from '../cli-options.js';
import { createEventPrinter, type Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';
import { openProject } from '../project-session.js';

const label: Record<string, string> = {
  pass: 'PASS',
  warn: 'WARN',
  error: 'ERROR STALE',
  'runtime error': 'ERROR',
};

/**
 * `shopsmart source freshness [--select …]`: one line per source table with its status and age,
 * target/sources.json written; exit 1 when any table is past error_after or could not be checked.
 *
 * @example
 * // $ shopsmart source freshness --select source:raw
 * // 1 of 3 PASS freshness of raw.orders — age 60 min, warn after 24 h, error after 2 d in 0.01s
 * // 2 of 3 WARN freshness of raw.customers — age 30.0 h, warn after 24 h, error after 2 d in 0.01s
 * // 3 of 3 ERROR STALE freshness of raw.events — age 2.1 d, warn after 24 h, error after 2 d in 0.01s
 */
export async function freshnessCommand(args: CliArgs, output: Output): Promise<number> {
  const project = await openProject(args, output);
  const printer = createEventPrinter(args.logFormat, output);
  const print = (event: EngineEvent) => {
    if (args.logFormat === 'text' && event.kind === 'node_finished' && event.resourceType === 'source') {
      const position = `${String(event.index).padStart(String(event.total).length)} of ${event.total}`;
      output.out(
        `${position} ${label[event.status] ?? event.status.toUpperCase()} freshness of ${event.name} — ${event.message ?? ''} in ${(event.executionMs / 1000).toFixed(2)}s`,
      );
    } else printer(event);
  };
  const outcome = await checkSourceFreshness(project, {
    select: args.select,
    exclude: args.exclude,
    threads: args.threads,
    events: new EventBus(print),
  });
  return outcome.success ? ExitCode.ok : ExitCode.nodeFailed;
}
