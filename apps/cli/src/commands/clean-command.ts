import { existsSync, readFileSync, rmSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { projectFileName, readProject, ShopsmartError } from '@shopsmart/core-runner';
import { parse } from 'yaml';
import type { CliArgs } from '../cli-options.js';
import type { Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';

/** Folders that hold the project's sources: never cleaned, as dbt protects its source paths. */
const protectedFolders = ['models', 'seeds', 'macros', 'snapshots', 'tests', 'analyses', 'packages'];

/**
 * `shopsmart clean`: deletes the project's `clean-targets` (default: the target path), as dbt
 * does. A path outside the project, the project folder itself or a source folder is refused
 * (exit 2) before anything is deleted.
 *
 * @example
 * // dbt_project.yml: clean-targets: [target, dbt_packages]
 * // $ shopsmart clean
 * // Cleaned target
 * // Cleaned dbt_packages (not there)
 */
export async function cleanCommand(args: CliArgs, output: Output): Promise<number> {
  const definition = await readProject(args.projectDir, args.profilesDir, { cliVars: args.vars });
  const root = resolve(definition.rootDir);
  const file = join(root, definition.isDbtProject ? 'dbt_project.yml' : projectFileName);
  const config = existsSync(file)
    ? (parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null)
    : null;
  const listed = config?.['clean-targets'];
  if (listed !== undefined && (!Array.isArray(listed) || listed.some((p) => typeof p !== 'string')))
    throw new ShopsmartError('SSA-CLEAN-001', 'clean-targets must be a list of folder paths', {
      file,
      hint: 'e.g. clean-targets: [target, dbt_packages]',
    });
  const targets = (listed as string[] | undefined) ?? [relative(root, definition.targetPath) || 'target'];
  const refused: string[] = [];
  for (const target of targets) {
    const path = resolve(root, target);
    const inside = relative(root, path);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside))
      refused.push(`'${target}' is ${inside === '' ? 'the project folder itself' : 'outside the project'}`);
    else if (protectedFolders.includes(inside.split(/[\\/]/)[0] as string))
      refused.push(`'${target}' holds the project's sources`);
  }
  if (refused.length > 0)
    throw new ShopsmartError('SSA-CLEAN-002', `clean refuses: ${refused.join('; ')}`, {
      file,
      hint: 'clean-targets may list only folders inside the project that the project writes (target, logs, dbt_packages)',
    });
  for (const target of targets) {
    const path = resolve(root, target);
    const existed = existsSync(path);
    rmSync(path, { recursive: true, force: true });
    if (!args.options.quiet) output.out(`Cleaned ${target}${existed ? '' : ' (not there)'}`);
  }
  output.out(`Finished clean: ${targets.length} path${targets.length === 1 ? '' : 's'}`);
  return ExitCode.ok;
}
