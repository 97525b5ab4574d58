import { ShopsmartError, ShopsmartErrorList } from '@shopsmart/core-runner';
import type { Output } from './event-printer.js';
import { UsageError } from './usage-error.js';

/**
 * Every exit code the CLI uses, and what it means. Every command returns one of these (through
 * `reportError` for errors), `--help` prints the table and the root README repeats it.
 */
export const ExitCode = {
  ok: 0,
  nodeFailed: 1,
  usage: 2,
  internal: 3,
  warehouseBusy: 4,
  interrupted: 130,
} as const;

export type ExitCodeName = keyof typeof ExitCode;

/** The table, in code order: `code`, `name`, `meaning`. */
export const exitCodeTable: readonly { code: number; name: ExitCodeName; meaning: string }[] = [
  { code: ExitCode.ok, name: 'ok', meaning: 'success: every selected node passed' },
  {
    code: ExitCode.nodeFailed,
    name: 'nodeFailed',
    meaning: 'a node failed (model error, test failure) or a statement of the run failed',
  },
  {
    code: ExitCode.usage,
    name: 'usage',
    meaning: 'bad usage or project error (unknown flag, YAML, Jinja, ref, profile, path)',
  },
  { code: ExitCode.internal, name: 'internal', meaning: 'internal error: a bug, please report it' },
  {
    code: ExitCode.warehouseBusy,
    name: 'warehouseBusy',
    meaning: 'the warehouse is busy: another run or a reader holds it (see --lock-timeout)',
  },
  {
    code: ExitCode.interrupted,
    name: 'interrupted',
    meaning: 'interrupted by Ctrl-C (SIGINT) or SIGTERM; run_results.json says what was done',
  },
];

/** The table as `--help` prints it. */
export function formatExitCodes(): string {
  return [
    'exit codes:',
    ...exitCodeTable.map((row) => `  ${String(row.code).padStart(3)}  ${row.meaning}`),
  ].join('\n');
}

/** The exit code an error code means: lock and busy-file errors are `warehouseBusy`. */
export function exitCodeOf(code: string): number {
  if (/^SSA-(LOCK|MOCK-005)/.test(code)) return ExitCode.warehouseBusy;
  if (/^SSA-(SQL|RUN)/.test(code)) return ExitCode.nodeFailed;
  if (code === 'SSA-INTERNAL' || code === 'SSA-MOCK-999') return ExitCode.internal;
  return ExitCode.usage;
}

/**
 * The CLI's one top-level catch: user errors print what/where/hint and exit with the code of the
 * table above; anything unexpected is an internal error with a bug-report hint.
 */
export function reportError(error: unknown, output: Output): number {
  if (error instanceof UsageError) {
    output.err(`error: ${error.message}`);
    if (error.hint) output.err(`  hint: ${error.hint}`);
    return ExitCode.usage;
  }
  if (error instanceof ShopsmartErrorList) {
    output.err(error.message);
    return ExitCode.usage;
  }
  if (error instanceof ShopsmartError) {
    output.err(`error: ${error.format()}`);
    if (error.kind === 'internal') return ExitCode.internal;
    return exitCodeOf(error.code);
  }
  if (
    error &&
    typeof error === 'object' &&
    'code' in error &&
    'hint' in error &&
    typeof (error as { code: unknown }).code === 'string'
  ) {
    const e = error as { code: string; message: string; hint?: string };
    output.err(`error: [${e.code}] ${e.message}`);
    if (e.hint) output.err(`  hint: ${e.hint}`);
    return exitCodeOf(e.code);
  }
  output.err(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  output.err('  this is a bug in shopsmart: please report it with the command you ran and the output above');
  return ExitCode.internal;
}
