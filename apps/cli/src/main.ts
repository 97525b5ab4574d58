import { CommanderError } from 'commander';
import type { CliArgs } from './cli-options.js';
import { buildProgram, type CommandHandlerName } from './cli-program.js';
import type { Output } from './event-printer.js';
import { ExitCode } from './exit-codes.js';
import { jsonOutput, resolveStyle, styledOutput, wantsJson } from './output-style.js';

/**
 * Writes `text` unless the reader has gone: a pipe closed early (`shopsmart ls | head`) ends in
 * EPIPE, after which the command's remaining lines are dropped and the command finishes as it
 * would have (a build still completes and releases the warehouse) instead of dying on the error.
 */
function writeTo(stream: NodeJS.WriteStream, text: string): void {
  if (!closedPipes.has(stream)) stream.write(text);
}
const closedPipes = new Set<NodeJS.WriteStream>();
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closedPipes.add(stream);
  });
}

const stdio: Output = {
  out: (line) => writeTo(process.stdout, `${line}\n`),
  outLines: (lines) => {
    if (lines.length > 0) writeTo(process.stdout, `${lines.join('\n')}\n`);
  },
  err: (line) => writeTo(process.stderr, `${line}\n`),
};

type Handler = (args: CliArgs, output: Output) => Promise<number>;

/** Each command's module, imported when the command runs. */
const handlers: Record<CommandHandlerName, () => Promise<Handler>> = {
  run: async () => (await import('./commands/run-command.js')).runCommand,
  freshness: async () => (await import('./commands/freshness-command.js')).freshnessCommand,
  compile: async () => (await import('./commands/compile-command.js')).compileCommand,
  ls: async () => (await import('./commands/ls-command.js')).lsCommand,
  generate: async () => (await import('./commands/mock-commands.js')).generateCommand,
  advance: async () => (await import('./commands/mock-commands.js')).advanceCommand,
  show: async () => (await import('./commands/show-command.js')).showCommand,
  runOperation: async () => (await import('./commands/run-operation-command.js')).runOperationCommand,
  retry: async () => (await import('./commands/retry-command.js')).retryCommand,
  debug: async () => (await import('./commands/debug-command.js')).debugCommand,
  clean: async () => (await import('./commands/clean-command.js')).cleanCommand,
  deps: async () => (await import('./commands/deps-command.js')).depsCommand,
  parse: async () => (await import('./commands/parse-command.js')).parseCommand,
  init: async () => (await import('./commands/init-command.js')).initCommand,
};

/**
 * The `shopsmart` command. Returns the exit code: 0 ok, 1 a node failed, 2 bad usage or config.
 *
 * @example
 * process.exitCode = await main(['build', '--select', '+fct_orders']);
 */
export async function main(argv: string[], given: Output = stdio): Promise<number> {
  // --log-format json: nothing but JSON lines on stdout, whatever is printed (errors too).
  const json = given === stdio && wantsJson(argv);
  const output = json ? jsonOutput(stdio) : given;
  if (argv[0] === 'docs') {
    const { docsCommand } = await import('./commands/docs-command.js');
    return docsCommand(argv.slice(1), output);
  }
  let code: number = ExitCode.ok;
  let active = 'shopsmart';
  let live: Output | undefined;
  const program = buildProgram(output, async (handler, args) => {
    // Colours and the live progress line only for the process's own stdio (tests passing an
    // Output get plain lines); --quiet everywhere.
    const own = output === stdio;
    const style = resolveStyle(args.options, own ? process.env : {}, own && process.stdout.isTTY === true);
    live = own ? styledOutput(output, style) : { ...output, style: { ...style, json } };
    try {
      code = await (await handlers[handler]())(args, live);
    } finally {
      live.live?.('');
    }
  });
  program.hook('preSubcommand', (_root, sub) => {
    active = `shopsmart ${sub.name()}`;
  });
  if (argv.length === 0) {
    output.out(program.helpInformation().replace(/\n$/, ''));
    return ExitCode.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return commanderError(error, active, output);
    // The engine's error classes load only when something went wrong.
    const { reportError } = await import('./report-error.js');
    return reportError(error, live ?? output);
  }
}

/** Commander's parse errors in the CLI's format (`error:` line, `hint:` line), exit 2. */
function commanderError(error: CommanderError, active: string, output: Output): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
  if (error.code === 'commander.help') {
    // A command that needs a sub-command got none: its help went to stderr.
    if (error.exitCode === 0) return ExitCode.ok;
    output.err(`error: '${active}' needs a sub-command`);
    return ExitCode.usage;
  }
  const [first, ...rest] = error.message.replace(/^error: /, '').split('\n');
  const suggestion = rest.join(' ').match(/\(Did you mean (?:one of )?(.+)\?\)/);
  const hint = suggestion
    ? `did you mean ${(suggestion[1] as string)
        .split(', ')
        .map((s) => `'${s}'`)
        .join(' or ')}?`
    : `run ${active} --help`;
  output.err(`error: ${first ?? error.message}`);
  output.err(`  hint: ${hint}`);
  return ExitCode.usage;
}
