import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import {
  addGlobalOptions,
  addSelectionOptions,
  addThreadsOption,
  type CliArgs,
  parseNumber,
  resourceTypeOption,
  toCliArgs,
  withExamples,
} from './cli-options.js';
import type { Output } from './event-printer.js';
import { formatExitCodes } from './exit-codes.js';
import { addLockTimeoutOption } from './lock-timeout-option.js';
import { addOpsCommands, addRunFlags } from './ops-options.js';
import { UsageError } from './usage-error.js';

/** What runs a parsed command: main() imports the command's module then; parseCliArgs only records. */
export type Dispatch = (handler: CommandHandlerName, args: CliArgs) => Promise<void>;

/** The command modules, imported only when their command runs (keeps --help and ls light). */
export type CommandHandlerName =
  | 'run'
  | 'freshness'
  | 'compile'
  | 'ls'
  | 'generate'
  | 'advance'
  | 'show'
  | 'runOperation'
  | 'retry'
  | 'debug'
  | 'clean'
  | 'deps'
  | 'parse'
  | 'init';

/** This package's version, read from its package.json (next to dist/ when built or installed). */
function cliVersion(): string {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  return `shopsmart ${version}`;
}

/**
 * The `shopsmart` command line: commands, their options, help with examples.
 * A new flag goes on the command(s) it applies to here; its value reaches the handler as
 * `args.options.<camelCaseName>` (or a typed CliArgs field for shared ones).
 */
export function buildProgram(output: Output, dispatch: Dispatch): Command {
  const program = new Command('shopsmart')
    .description('dbt-style analytics engineering on an embedded DuckDB warehouse')
    .usage('<command> [options]')
    .version(cliVersion(), '-V, --version', 'print the version of shopsmart')
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({
      writeOut: (text) => output.out(text.replace(/\n$/, '')),
      writeErr: (text) => output.err(text.replace(/\n$/, '')),
      // main() prints commander's errors itself, in the CLI's error format.
      outputError: () => {},
    })
    .exitOverride();
  addGlobalOptions(program);

  const action =
    (handler: CommandHandlerName, name?: string) =>
    async (...received: unknown[]): Promise<void> => {
      const command = received.at(-1) as Command;
      const operands = received.slice(0, -2).filter((v): v is string => typeof v === 'string');
      const args = await toCliArgs(name ?? command.name(), command.optsWithGlobals(), operands);
      await dispatch(handler, args);
    };

  const runLike = (name: string, description: string, examples: string[]) => {
    const command = program.command(name).description(description);
    addSelectionOptions(command);
    addThreadsOption(command);
    addRunFlags(command, { empty: ['build', 'run', 'snapshot'].includes(name) });
    withExamples(command, examples);
    command.action(action('run'));
    return command;
  };

  runLike('build', 'seeds, models, snapshots and tests in DAG order (a failed test skips its descendants)', [
    'shopsmart build',
    'shopsmart build -s +fct_orders --full-refresh',
    'shopsmart build --resource-type model --resource-type seed',
  ])
    .option('--full-refresh', 'rebuild incremental models (and seeds) from scratch')
    .addOption(resourceTypeOption())
    .option(
      '--event-time-start <time>',
      'microbatch models: rebuild batches from this time (UTC, e.g. 2024-01-01)',
    )
    .option('--event-time-end <time>', 'microbatch models: rebuild batches up to this time (exclusive)');
  runLike('run', 'build models', [
    'shopsmart run',
    'shopsmart run -s staging intermediate --threads 4',
    'shopsmart run -s state:modified+ --state prod-target --defer',
    'shopsmart run -s fct_events --event-time-start 2024-01-01 --event-time-end 2024-02-01',
  ])
    .option('--full-refresh', 'rebuild incremental models from scratch')
    .option(
      '--event-time-start <time>',
      'microbatch models: rebuild batches from this time (UTC, e.g. 2024-01-01)',
    )
    .option('--event-time-end <time>', 'microbatch models: rebuild batches up to this time (exclusive)');
  runLike('seed', 'load CSV seeds', ['shopsmart seed', 'shopsmart seed -s countries --full-refresh']).option(
    '--full-refresh',
    'drop and reload seed tables',
  );
  runLike('test', 'run data tests and unit tests', [
    'shopsmart test',
    'shopsmart test -s fct_orders --indirect-selection cautious',
  ]);
  runLike('snapshot', 'SCD type 2 snapshots', ['shopsmart snapshot', 'shopsmart snapshot -s snap_products']);

  addOpsCommands(program, action);

  const source = program.command('source').description('source commands (freshness)');
  const freshness = source
    .command('freshness')
    .description(
      "check sources' loaded_at_field against warn_after / error_after (writes target/sources.json)",
    );
  freshness
    .option('-s, --select <selector...>', 'sources to check, e.g. source:raw or source:raw.orders')
    .option('--exclude <selector...>', 'subtract these sources');
  addThreadsOption(freshness);
  withExamples(freshness, ['shopsmart source freshness', 'shopsmart source freshness -s source:raw.orders']);
  freshness.action(action('freshness', 'source'));

  const compile = program
    .command('compile')
    .description('render SQL to target/compiled without running it (one node: print its SQL)');
  addSelectionOptions(compile);
  compile.option('--full-refresh', 'compile as a full-refresh run would (is_incremental() false)');
  withExamples(compile, ['shopsmart compile', 'shopsmart compile -s customer_analytics']);
  compile.action(action('compile'));

  const ls = program.command('ls').alias('list').description('list selected nodes');
  addSelectionOptions(ls, { defer: false });
  ls.addOption(resourceTypeOption()).addOption(
    new Option('--output <format>', 'what to print per node (dbt ls: selector by default)')
      .choices(['name', 'selector', 'json', 'path'])
      .default('selector'),
  );
  ls.option(
    '--output-keys <keys...>',
    'with --output json: only these node keys (e.g. name resource_type alias)',
  );
  withExamples(ls, [
    'shopsmart ls -s +customer_analytics --resource-type model',
    'shopsmart ls -s tag:finance --output json',
    'shopsmart ls --output json --output-keys name alias depends_on',
    'shopsmart ls -s state:modified+ --state prod-target',
  ]);
  ls.action(action('ls'));

  const generate = program
    .command('generate')
    .description("write the mock warehouse's raw tables (or CSV / Parquet files)")
    .option('--scale <n>', 'size relative to scale 1 (~10k customers)', parseNumber.positive)
    .option('--seed <n>', 'random seed: the same seed and options give the same data', parseNumber.integer)
    .option('--as-of <date>', "the shop's clock, YYYY-MM-DD (default: today)")
    .option('--dirty', 'inject realistic defects (recorded in raw._mockgen_defects)')
    .addOption(
      new Option('--format <format>', 'where the raw tables go')
        .choices(['duckdb', 'csv', 'parquet'])
        .default('duckdb'),
    )
    .option('--out <dir>', 'folder for --format csv / parquet');
  withExamples(generate, [
    'shopsmart generate --scale 0.2',
    'shopsmart generate --scale 10 --seed 7 --as-of 2026-03-31 --dirty',
    'shopsmart generate --format parquet --out raw-files',
  ]);
  generate.action(action('generate'));

  const advance = program
    .command('advance')
    .description('move the mock shop forward: new orders, updated customers, late data')
    .option('--days <n>', 'days to move forward', parseNumber.positiveInteger)
    .option('--as-of <date>', 'move forward to this date, YYYY-MM-DD')
    .option('--seed <n>', 'random seed', parseNumber.integer);
  withExamples(advance, ['shopsmart advance --days 7', 'shopsmart advance --as-of 2026-04-30']);
  advance.action(action('advance'));

  // `docs` parses its own sub-commands (main() hands it the raw arguments); listed here for --help.
  program
    .command('docs')
    .description('docs generate | serve: the static docs site in target/docs (shopsmart docs --help)');

  const debug = program
    .command('debug')
    .description(
      'check the setup: project, targets, versions, the warehouse opens, its lock (exit 1 on a problem)',
    );
  withExamples(debug, ['shopsmart debug', 'shopsmart debug --target prod']);
  debug.action(action('debug'));

  const clean = program
    .command('clean')
    .description("delete the project's clean-targets (default: target/); never a path outside the project");
  withExamples(clean, ['shopsmart clean']);
  clean.action(action('clean'));

  const deps = program
    .command('deps')
    .description(
      'install the packages of packages.yml / dependencies.yml into dbt_packages/ (writes package-lock.yml)',
    )
    .option('--upgrade', 'resolve versions again even when package-lock.yml matches packages.yml')
    .option('--lock', 'write package-lock.yml only; install nothing');
  withExamples(deps, ['shopsmart deps', 'shopsmart deps --upgrade']);
  deps.action(action('deps'));

  const parse = program
    .command('parse')
    .description('read and validate the project; write target/manifest.json and target/perf_info.json');
  withExamples(parse, ['shopsmart parse', 'shopsmart parse --log-format json']);
  parse.action(action('parse'));

  const init = program
    .command('init')
    .argument('<name>', 'the layer: lowercase letters, digits, _ or -, starting with a letter')
    .description('scaffold packages/<name>, a new layer package, and list it in shopsmart.yml');
  withExamples(init, ['shopsmart init returns', 'shopsmart init returns --project-dir ../shop']);
  init.action(action('init'));

  addLockTimeoutOption(program);
  withExamples(program, [
    'shopsmart generate --scale 0.2 && shopsmart build',
    'shopsmart ls -s +fct_orders',
    'shopsmart <command> --help',
  ]);
  program.addHelpText('after', `\n${formatExitCodes()}\n`);
  return program;
}

/**
 * Parses a command line into CliArgs without running anything; bad usage throws UsageError.
 *
 * @example
 * const args = await parseCliArgs(['ls', '-s', '+fct_orders', '--project-dir', 'shop']);
 * // args.select → ['+fct_orders']
 */
export async function parseCliArgs(argv: string[]): Promise<CliArgs> {
  let parsed: CliArgs | undefined;
  const silent: Output = { out: () => {}, err: () => {} };
  const program = buildProgram(silent, async (_handler, args) => {
    parsed = args;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError)
      throw new UsageError(error.message.replace(/^error: /, '').split('\n')[0] ?? error.message);
    throw error;
  }
  if (!parsed)
    throw new UsageError(argv.length === 0 ? 'no command given' : `'${argv[0]}' needs a sub-command`);
  return parsed;
}
