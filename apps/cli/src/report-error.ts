import { didYouMean, formatSuggestions, ShopsmartError, ShopsmartErrorList } from '@shopsmart/core-runner';
import type { Output } from './event-printer.js';
import { ExitCode, exitCodeOf } from './exit-codes.js';
import { UsageError } from './usage-error.js';

/**
 * The CLI's one top-level catch: user errors print what/where/hint and exit with the code of the
 * table above; anything unexpected is an internal error with a bug-report hint.
 */
export function reportError(error: unknown, output: Output): number {
  if (output.style?.json) {
    const code = jsonError(error, output);
    if (code !== undefined) return code;
  }
  if (error instanceof UsageError) {
    output.err(`error: ${error.message}`);
    output.err(`  hint: ${usageHint(error)}`);
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

/** A usage error's hint: the one it carries, else the closest names it could have meant. */
function usageHint(error: UsageError): string {
  if (error.hint) return error.hint;
  if (error.given === undefined || !error.candidates) return 'run shopsmart --help';
  return (
    formatSuggestions(didYouMean(error.given, error.candidates)) ??
    `expected one of: ${error.candidates.join(', ')}`
  );
}

/** --log-format json: a project or usage error as `{"kind":"error","error":{code,message,file,line,hint}}`. */
function jsonError(error: unknown, output: Output): number | undefined {
  const emit = (detail: Record<string, unknown>) =>
    output.out(JSON.stringify({ kind: 'error', error: detail, at: new Date().toISOString() }));
  if (error instanceof UsageError) {
    emit({ code: 'usage', message: error.message, hint: usageHint(error) });
    return ExitCode.usage;
  }
  if (error instanceof ShopsmartErrorList) {
    for (const each of error.errors) emit(each.toJSON());
    return ExitCode.usage;
  }
  if (error instanceof ShopsmartError && error.kind !== 'internal') {
    emit(error.toJSON());
    return exitCodeOf(error.code);
  }
  return undefined;
}
