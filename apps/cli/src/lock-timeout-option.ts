import { type Command, InvalidArgumentError } from 'commander';

/** The commands that open the warehouse: each takes `--lock-timeout SECONDS`. */
const opensWarehouse = [
  'build',
  'run',
  'seed',
  'test',
  'snapshot',
  'compile',
  'show',
  'run-operation',
  'retry',
  'generate',
  'advance',
  'freshness',
];

/** `--lock-timeout 30`: seconds, 0 or more. */
function seconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError('It must be a number of seconds, 0 or more (e.g. 30).');
  return n;
}

/**
 * Adds `--lock-timeout SECONDS` to every command that opens the warehouse: wait that long for a
 * busy warehouse (another run, a notebook or BI tool holding the file) instead of failing at once.
 * Its value reaches handlers as `args.options.lockTimeout` (project-session puts it on the target).
 */
export function addLockTimeoutOption(program: Command): void {
  const visit = (command: Command) => {
    for (const sub of command.commands) {
      if (opensWarehouse.includes(sub.name()))
        sub.option(
          '--lock-timeout <seconds>',
          'wait up to this long for a busy warehouse (another run, a reader holding the file); default 0: fail at once',
          seconds,
        );
      visit(sub);
    }
  };
  visit(program);
}
