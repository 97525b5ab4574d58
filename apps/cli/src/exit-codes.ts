// No imports: `--help` prints this table without loading the engine (report-error.ts holds the
// top-level catch, which needs the engine's error classes).

/**
 * Every exit code the CLI uses, and what it means. Every command returns one of these (through
 * `reportError` in report-error.ts for errors), `--help` prints the table and the root README repeats it.
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
