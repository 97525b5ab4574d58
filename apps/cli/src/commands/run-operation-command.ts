import { EventBus, runOperation } from '@shopsmart/core-runner';
import type { CliArgs } from '../cli-options.js';
import { createEventPrinter, type Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';
import { openProject } from '../project-session.js';
import { UsageError } from '../usage-error.js';

/**
 * dbt's `run-operation MACRO --args '{...}'`: calls a macro against the warehouse; its `log()`
 * lines are printed as they come and its return value (if any) at the end.
 */
export async function runOperationCommand(args: CliArgs, output: Output): Promise<number> {
  const macro = args.operands[0];
  if (!macro)
    throw new UsageError(
      'run-operation needs the name of a macro',
      undefined,
      undefined,
      'e.g. shopsmart run-operation grant_select --args "{role: reporter}"',
    );
  const options = args.options as { args?: string };
  const macroArgs = options.args === undefined ? {} : await parseArgs(options.args);
  const project = await openProject(args, output);
  const events = new EventBus(createEventPrinter(args.logFormat, output));
  const result = await runOperation(project, { macro, args: macroArgs, events });
  if (args.logFormat === 'json')
    output.out(
      JSON.stringify({
        kind: 'operation_finished',
        macro: result.macro,
        output: result.output,
        elapsedMs: result.elapsedMs,
      }),
    );
  else if (result.output !== '') output.out(result.output);
  return ExitCode.ok;
}

/** `--args` as dbt takes it: a YAML (or JSON) mapping of keyword arguments. */
async function parseArgs(text: string): Promise<Record<string, unknown>> {
  const { parse } = await import('yaml');
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new UsageError(
      `--args is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : error}`,
      undefined,
      undefined,
      "give a mapping, e.g. --args '{days: 7, dry_run: true}'",
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(
      "--args must be a YAML/JSON mapping of the macro's arguments",
      undefined,
      undefined,
      "e.g. --args '{days: 7, dry_run: true}'",
    );
  return value as Record<string, unknown>;
}
