import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

export const commands = [
  'build',
  'run',
  'seed',
  'test',
  'snapshot',
  'source',
  'compile',
  'ls',
  'generate',
  'advance',
] as const;
export type CommandName = (typeof commands)[number];

export interface CliArgs {
  command: CommandName;
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
  logFormat: 'text' | 'json';
  resourceType: string[];
  output: 'name' | 'selector' | 'json' | 'path';
  indirectSelection?: 'eager' | 'cautious' | 'buildable' | 'empty';
  scale?: number;
  seed?: number;
  asOf?: string;
  dirty: boolean;
  format?: string;
  out?: string;
  days?: number;
}

export const usage = `usage: shopsmart <command> [options]

commands:
  build       seeds, models, snapshots and tests in DAG order (tests gate their descendants)
  run         models
  seed        load CSV seeds
  test        data tests
  snapshot    SCD type 2 snapshots
  source freshness   check sources' loaded_at_field against warn_after / error_after (writes target/sources.json)
  compile     render SQL to target/compiled without running it
  ls          list selected nodes
  generate    write the mock warehouse (--scale --seed --as-of --dirty --format --out)
  advance     move the mock shop forward (--days N or --as-of YYYY-MM-DD)
  docs generate | serve   write the docs site to target/docs, or serve it (shopsmart docs --help)

options:
  -s, --select <selector>     dbt selection syntax (repeatable; space = union, comma = intersection)
      --exclude <selector>    subtract nodes
      --threads <n>           nodes run at once (default: the target's threads)
      --full-refresh          rebuild incremental models from scratch
      --vars <yaml>           override vars, e.g. --vars '{as_of_date: 2026-01-31}'
  -t, --target <name>         target from shopsmart.yml / profiles.yml
      --project-dir <dir>     project folder (default: current directory)
      --profiles-dir <dir>    folder holding profiles.yml (dbt projects)
      --state <dir>           folder of a previous manifest.json / run_results.json (state:, result:)
      --defer                 read unselected parents missing from the target where --state built them
      --log-format <text|json>
      --resource-type <type>  ls/build: only these resource types
      --output <name|selector|json|path>   ls output
      --indirect-selection <eager|cautious|buildable|empty>   how tests follow selected models (default eager)
`;

/** Parses argv into typed options; bad usage throws UsageError (exit code 2). */
export async function parseCliArgs(argv: string[]): Promise<CliArgs> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, tokens } = parsed;
  // dbt takes several selectors after one flag (`-s staging intermediate`): positionals that
  // follow --select / --exclude belong to it; the first positional is the command.
  const positionals: string[] = [];
  let lastList: 'select' | 'exclude' | undefined;
  for (const token of tokens ?? []) {
    if (token.kind === 'option')
      lastList =
        token.name === 'select' || token.name === 'models'
          ? 'select'
          : token.name === 'exclude'
            ? 'exclude'
            : undefined;
    else if (token.kind === 'positional') {
      if (lastList && positionals.length > 0 && !(positionals[0] === 'source' && positionals.length === 1)) {
        values[lastList] = [...(values[lastList] ?? []), token.value];
      } else positionals.push(token.value);
    }
  }
  const command = positionals[0];
  if (!command) throw new UsageError('no command given');
  if (!(commands as readonly string[]).includes(command))
    throw new UsageError(`unknown command '${command}'`, command, [...commands]);
  if (command === 'source' && positionals[1] !== 'freshness')
    throw new UsageError(
      positionals[1] ? `unknown source sub-command '${positionals[1]}'` : "'source' needs a sub-command",
      positionals[1] ?? '',
      ['freshness'],
    );
  const number = (
    name: string,
    value: string | undefined,
    check: (n: number) => boolean,
  ): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || !check(n))
      throw new UsageError(
        `--${name} must be ${name === 'scale' ? 'a positive number' : 'a positive integer'}, got '${value}'`,
      );
    return n;
  };
  let vars: Record<string, unknown> = {};
  if (values.vars) {
    const { parse: parseYaml } = await import('yaml');
    try {
      const v = parseYaml(values.vars) as unknown;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not a mapping');
      vars = v as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(
        `--vars must be a YAML/JSON mapping like '{key: value}' (${error instanceof Error ? error.message : error})`,
      );
    }
  }
  const logFormat = values['log-format'] ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json')
    throw new UsageError(`--log-format must be text or json, got '${logFormat}'`);
  const indirect = values['indirect-selection'];
  if (indirect !== undefined && !['eager', 'cautious', 'buildable', 'empty'].includes(indirect)) {
    throw new UsageError(
      `--indirect-selection must be eager, cautious, buildable or empty, got '${indirect}'`,
    );
  }
  if (values.defer && !values.state)
    throw new UsageError('--defer needs --state <dir>: the artifacts of the environment to defer to');
  const output = values.output ?? 'name';
  if (!['name', 'selector', 'json', 'path'].includes(output))
    throw new UsageError(`--output must be name, selector, json or path, got '${output}'`);
  return {
    command: command as CommandName,
    select: [...(values.select ?? []), ...(values.models ?? [])],
    exclude: values.exclude ?? [],
    threads: number('threads', values.threads, (n) => Number.isInteger(n) && n > 0),
    fullRefresh: values['full-refresh'] ?? false,
    vars,
    target: values.target,
    projectDir: values['project-dir'] ?? process.cwd(),
    profilesDir: values['profiles-dir'],
    state: values.state,
    defer: values.defer ?? false,
    logFormat,
    resourceType: values['resource-type'] ?? [],
    output: output as CliArgs['output'],
    indirectSelection: indirect as CliArgs['indirectSelection'],
    scale: number('scale', values.scale, (n) => n > 0),
    seed: number('seed', values.seed, (n) => Number.isInteger(n)),
    asOf: values['as-of'],
    dirty: values.dirty ?? false,
    format: values.format,
    out: values.out,
    days: number('days', values.days, (n) => Number.isInteger(n) && n > 0),
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    tokens: true,
    strict: true,
    options: {
      select: { type: 'string', short: 's', multiple: true },
      models: { type: 'string', short: 'm', multiple: true },
      exclude: { type: 'string', multiple: true },
      threads: { type: 'string' },
      'full-refresh': { type: 'boolean' },
      vars: { type: 'string' },
      target: { type: 'string', short: 't' },
      'project-dir': { type: 'string' },
      'profiles-dir': { type: 'string' },
      state: { type: 'string' },
      defer: { type: 'boolean' },
      'log-format': { type: 'string' },
      'resource-type': { type: 'string', multiple: true },
      output: { type: 'string' },
      'indirect-selection': { type: 'string' },
      scale: { type: 'string' },
      seed: { type: 'string' },
      'as-of': { type: 'string' },
      dirty: { type: 'boolean' },
      format: { type: 'string' },
      out: { type: 'string' },
      days: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
