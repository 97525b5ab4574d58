import { type Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from './usage-error.js';

export type LogFormat = 'text' | 'json';

/** What a command handler gets: the parsed, validated command line. */
export interface CliArgs {
  /** The command as typed (`build`, `source` for `source freshness`, ...). */
  command: string;
  select: string[];
  exclude: string[];
  threads?: number;
  fullRefresh: boolean;
  vars: Record<string, unknown>;
  target?: string;
  projectDir: string;
  profilesDir?: string;
  state?: string;
  /** dbt's --defer: unselected parents missing from the target are read from --state's warehouse. */
  defer: boolean;
  logFormat: LogFormat;
  resourceType: string[];
  output: 'selector' | 'name' | 'json' | 'path';
  indirectSelection?: 'eager' | 'cautious' | 'buildable' | 'empty';
  scale?: number;
  seed?: number;
  asOf?: string;
  dirty: boolean;
  format?: string;
  out?: string;
  days?: number;
  /** Every option as commander parsed it (camelCase keys), for flags a command reads itself. */
  options: Record<string, unknown>;
  /** The command's positional arguments (e.g. `init NAME`). */
  operands: string[];
}

/** Option-argument parsers: they name the flag and say what it needs (commander adds the flag). */
export const parseNumber = {
  positiveInteger(value: string): number {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n <= 0)
      throw new InvalidArgumentError(`It must be a positive integer (1, 2, ...).`);
    return n;
  },
  positive(value: string): number {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
      throw new InvalidArgumentError(`It must be a positive number (e.g. 0.5 or 10).`);
    return n;
  },
  integer(value: string): number {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n))
      throw new InvalidArgumentError(`It must be a whole number.`);
    return n;
  },
  port(value: string): number {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535)
      throw new InvalidArgumentError(`It must be an integer from 0 to 65535.`);
    return n;
  },
};

/** A repeatable option's accumulator: `--resource-type model --resource-type seed`. */
export const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];

/**
 * The flags every command takes (defined on the root command, so they are accepted before or
 * after the command name, and listed under "Global Options" in every command's --help).
 */
export function addGlobalOptions(program: Command): Command {
  return program
    .option('--project-dir <dir>', 'project folder (default: the current directory)')
    .option('--profiles-dir <dir>', 'folder holding profiles.yml (dbt projects)')
    .option('-t, --target <name>', 'target from shopsmart.yml / profiles.yml')
    .option('--vars <yaml>', "override vars, e.g. --vars '{as_of_date: 2026-01-31}'")
    .option('--no-partial-parse', 'parse the whole project, ignoring the parse cache in target/')
    .option(
      '--skip-unparsable',
      'leave out nodes that do not parse (each one a warning) instead of stopping; for trying a foreign dbt project',
    )
    .option('--no-color', 'no ANSI colours (also: NO_COLOR set, or stdout not a terminal)')
    .option('-q, --quiet', 'only errors and the final summary')
    .addOption(
      new Option('--log-format <format>', 'text lines, or one JSON event per line')
        .choices(['text', 'json'])
        .default('text'),
    );
}

/** dbt's node selection flags. */
export function addSelectionOptions(command: Command, { defer = true } = {}): Command {
  command
    .option('-s, --select <selector...>', 'dbt selection syntax; several after one flag are a union')
    .option('-m, --models <selector...>', "same as --select (dbt's older name)")
    .option('--exclude <selector...>', 'subtract these nodes')
    .option('--selector <name>', 'a YAML selector of selectors.yml (replaces --select / --exclude)')
    .option('--state <dir>', 'folder of a previous manifest.json / run_results.json (state:, result:)')
    .addOption(
      new Option('--indirect-selection <mode>', 'how tests follow selected models (default: eager)').choices([
        'eager',
        'cautious',
        'buildable',
        'empty',
      ]),
    );
  if (defer)
    command.option('--defer', 'read unselected parents missing from the target where --state built them');
  return command;
}

export function addThreadsOption(command: Command): Command {
  return command.option(
    '--threads <n>',
    "nodes run at once (default: the target's threads)",
    parseNumber.positiveInteger,
  );
}

/** `--resource-type` (repeatable), for ls and build. */
export function resourceTypeOption(): Option {
  const types = ['model', 'seed', 'snapshot', 'test', 'unit_test', 'source', 'analysis', 'exposure'];
  // choices() lists them in --help; the parser (which replaces choices' own) checks and collects.
  return new Option('--resource-type <type>', 'only these resource types (repeatable)')
    .choices(types)
    .argParser((value: string, previous: string[] | undefined) => {
      if (!types.includes(value)) throw new InvalidArgumentError(`Allowed choices are ${types.join(', ')}.`);
      return collect(value, previous);
    });
}

/** Adds "Examples:" to a command's --help. */
export function withExamples(command: Command, examples: string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}

/**
 * Turns the options commander parsed (the command's merged with the global ones) into CliArgs;
 * checks what spans several flags.
 */
export async function toCliArgs(
  command: string,
  options: Record<string, unknown>,
  operands: string[] = [],
): Promise<CliArgs> {
  const o = options as {
    select?: string[];
    models?: string[];
    exclude?: string[];
    threads?: number;
    fullRefresh?: boolean;
    vars?: string;
    target?: string;
    projectDir?: string;
    profilesDir?: string;
    state?: string;
    defer?: boolean;
    logFormat?: LogFormat;
    resourceType?: string[];
    output?: CliArgs['output'];
    indirectSelection?: CliArgs['indirectSelection'];
    scale?: number;
    seed?: number;
    asOf?: string;
    dirty?: boolean;
    format?: string;
    out?: string;
    days?: number;
  };
  if (o.defer && !o.state)
    throw new UsageError('--defer needs --state <dir>: the artifacts of the environment to defer to');
  return {
    command,
    select: [...(o.select ?? []), ...(o.models ?? [])],
    exclude: o.exclude ?? [],
    threads: o.threads,
    fullRefresh: o.fullRefresh ?? false,
    vars: o.vars === undefined ? {} : await parseVars(o.vars),
    target: o.target,
    projectDir: o.projectDir ?? process.cwd(),
    profilesDir: o.profilesDir,
    state: o.state,
    defer: o.defer ?? false,
    logFormat: o.logFormat ?? 'text',
    resourceType: o.resourceType ?? [],
    output: o.output ?? 'selector',
    indirectSelection: o.indirectSelection,
    scale: o.scale,
    seed: o.seed,
    asOf: o.asOf,
    dirty: o.dirty ?? false,
    format: o.format,
    out: o.out,
    days: o.days,
    options,
    operands,
  };
}

async function parseVars(text: string): Promise<Record<string, unknown>> {
  const { parse } = await import('yaml');
  try {
    const value = parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a mapping');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(
      `--vars must be a YAML/JSON mapping like '{key: value}' (${error instanceof Error ? error.message : error})`,
    );
  }
}
