import { type CliArgs, parseCliArgs, usage } from './cli-args.js';
import { compileCommand } from './commands/compile-command.js';
import { docsCommand } from './commands/docs-command.js';
import { freshnessCommand } from './commands/freshness-command.js';
import { lsCommand } from './commands/ls-command.js';
import { advanceCommand, generateCommand } from './commands/mock-commands.js';
import { runCommand } from './commands/run-command.js';
import type { Output } from './event-printer.js';
import { ExitCode, reportError } from './exit-codes.js';

const stdio: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

const handlers: Record<CliArgs['command'], (args: CliArgs, output: Output) => Promise<number>> = {
  build: runCommand,
  run: runCommand,
  seed: runCommand,
  test: runCommand,
  snapshot: runCommand,
  source: freshnessCommand,
  compile: compileCommand,
  ls: lsCommand,
  generate: generateCommand,
  advance: advanceCommand,
};

/**
 * The `shopsmart` command. Returns the exit code: 0 ok, 1 a node failed, 2 bad usage or config.
 *
 * @example
 * process.exitCode = await main(['build', '--select', '+fct_orders']);
 */
export async function main(argv: string[], output: Output = stdio): Promise<number> {
  if (argv[0] === 'docs') return docsCommand(argv.slice(1), output);
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    output.out(usage);
    return argv.length === 0 ? ExitCode.usage : ExitCode.ok;
  }
  try {
    const args = await parseCliArgs(argv);
    return await handlers[args.command](args, output);
  } catch (error) {
    return reportError(error, output);
  }
}
