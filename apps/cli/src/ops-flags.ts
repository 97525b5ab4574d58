import {
  parseWarnErrorOptions,
  readSelectorsFile,
  type SelectorDefinitions,
  type WarnErrorOptions,
} from '@shopsmart/core-runner';
import type { CliArgs } from './cli-options.js';
import { UsageError } from './usage-error.js';

/** The run flags of a parsed command line, for executeRun. */
export async function runFlagsOf(
  args: CliArgs,
): Promise<{ failFast: boolean; empty: boolean; warnError?: boolean | WarnErrorOptions }> {
  const o = args.options as {
    failFast?: boolean;
    empty?: boolean;
    warnError?: boolean;
    warnErrorOptions?: string;
  };
  let warnError: boolean | WarnErrorOptions | undefined = o.warnError ? true : undefined;
  if (o.warnErrorOptions !== undefined && !o.warnError) {
    const { parse } = await import('yaml');
    let value: unknown;
    try {
      value = parse(o.warnErrorOptions);
    } catch (error) {
      throw new UsageError(
        `--warn-error-options is not valid YAML/JSON (${error instanceof Error ? error.message.split('\n')[0] : error})`,
      );
    }
    warnError = parseWarnErrorOptions(value);
  }
  return { failFast: o.failFast ?? false, empty: o.empty ?? false, ...(warnError ? { warnError } : {}) };
}

/** `--selector NAME` and the project's selectors.yml, for every command that selects. */
export function selectionOf(
  args: CliArgs,
  rootDir: string,
): { selector?: string; selectors?: SelectorDefinitions } {
  const selector = (args.options as { selector?: string }).selector;
  const selectors = readSelectorsFile(rootDir);
  return { ...(selector !== undefined ? { selector } : {}), ...(selectors ? { selectors } : {}) };
}
