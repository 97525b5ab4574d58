import { ShopsmartError, ShopsmartErrorList } from '@shopsmart/core-runner';
import type { Output } from './event-printer.js';
import { UsageError } from './usage-error.js';

export const ExitCode = { ok: 0, nodeFailed: 1, usage: 2, internal: 3 } as const;

/**
 * The CLI's one top-level catch: user errors print what/where/hint and exit 2 (1 for run-time
 * failures such as a locked warehouse); anything unexpected is an internal error with a bug-report hint.
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
    return /^SSA-(LOCK|SQL|WAREHOUSE)/.test(error.code) ? ExitCode.nodeFailed : ExitCode.usage;
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
    return ExitCode.usage;
  }
  output.err(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  output.err('  this is a bug in shopsmart: please report it with the command you ran and the output above');
  return ExitCode.internal;
}
