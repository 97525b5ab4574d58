import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { installPackages, ShopsmartError } from '@shopsmart/core-runner';
import type { CliArgs } from '../cli-options.js';
import type { Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';

/**
 * `shopsmart deps`: installs the dbt project's packages into dbt_packages/ and writes
 * package-lock.yml, as `dbt deps` does. Local packages need no network; a git or hub package that
 * cannot be fetched fails (exit 2) with an error naming it, unless a satisfying copy is installed.
 *
 * @example
 * // packages.yml: packages: [{ local: ../ }]
 * // $ shopsmart deps
 * // Installing dbt_utils
 * //   Installed from ../
 * // Finished deps: 1 package (dbt_utils)
 */
export async function depsCommand(args: CliArgs, output: Output): Promise<number> {
  const root = resolve(args.projectDir);
  if (!existsSync(join(root, 'dbt_project.yml')))
    throw new ShopsmartError('SSA-DEPS-005', `no dbt_project.yml in ${root}`, {
      hint: 'deps installs the packages of a dbt project; run it from the project folder or pass --project-dir',
    });
  const result = await installPackages(root, {
    cliVars: args.vars,
    upgrade: args.options.upgrade === true,
    lockOnly: args.options.lock === true,
    onEvent: (line) => {
      if (!args.options.quiet) output.out(line);
    },
  });
  const names = result.packages.map((p) => p.name);
  output.out(
    `Finished deps: ${names.length} package${names.length === 1 ? '' : 's'}${names.length > 0 ? ` (${names.join(', ')})` : ''}`,
  );
  return ExitCode.ok;
}
