// Declarations only: the engine is not imported here, so --help stays light. What the commands
// do with these flags at run time is in ops-flags.ts.
import { type Command, Option } from 'commander';
import { parseNumber, withExamples } from './cli-options.js';
import type { CommandHandlerName } from './cli-program.js';

type Action = (handler: CommandHandlerName, name?: string) => (...received: unknown[]) => Promise<void>;

/**
 * dbt's run flags: `--fail-fast` / `-x`, `--warn-error`, `--warn-error-options` on build, run,
 * seed, test and snapshot; `--empty` where dbt takes it (build, run, snapshot).
 */
export function addRunFlags(command: Command, { empty }: { empty: boolean }): Command {
  command
    .option('-x, --fail-fast', 'stop at the first error or failure; what has not started is skipped')
    .option('--warn-error', 'treat warnings (a test at warn severity, a selector matching nothing) as errors')
    .option(
      '--warn-error-options <yaml>',
      `which warnings are errors, e.g. '{"error": "all", "warn": ["NoNodesForSelectionCriteria"]}'`,
    );
  if (empty)
    command.option(
      '--empty',
      'build every model with zero rows (refs and sources read nothing): checks schemas',
    );
  return command;
}

/** `show`, `run-operation MACRO` and `retry`. */
export function addOpsCommands(program: Command, action: Action): void {
  const show = program
    .command('show')
    .description('preview a model (-s) or inline SQL (--inline): compiled, run with a limit, nothing written')
    .option('-s, --select <selector...>', 'the node(s) to preview')
    .option('--inline <sql>', 'SQL to preview; refs, sources and macros are rendered')
    .option('--limit <n>', 'rows to show (default 5; -1: all)', parseNumber.integer)
    .addOption(new Option('--output <format>', 'a table, or JSON').choices(['text', 'json']).default('text'));
  withExamples(show, [
    'shopsmart show -s dim_customers',
    'shopsmart show -s fct_orders --limit 20 --output json',
    `shopsmart show --inline "select segment, count(*) as n from {{ ref('dim_customers') }} group by 1"`,
  ]);
  show.action(action('show'));

  const operation = program
    .command('run-operation')
    .description('call a macro (from macros/ of any layer or package) against the warehouse')
    .argument('<macro>', 'macro name, or package.macro')
    .option('--args <yaml>', "the macro's keyword arguments as a YAML/JSON mapping");
  withExamples(operation, [
    'shopsmart run-operation grant_select --args "{role: reporter}"',
    `shopsmart run-operation staging.drop_old_relations --args '{"dry_run": true}'`,
  ]);
  operation.action(action('runOperation'));

  const retry = program
    .command('retry')
    .description('re-run what errored, failed or was skipped in the last build/run/test/seed/snapshot')
    .option('--threads <n>', "nodes run at once (default: the last run's)", parseNumber.positiveInteger)
    .option('--warn-error', 'treat warnings as errors (not carried over from the last run, as in dbt)')
    .option('--warn-error-options <yaml>', 'which warnings are errors');
  withExamples(retry, ['shopsmart build --fail-fast; shopsmart retry', 'shopsmart retry --threads 1']);
  retry.action(action('retry'));
}
