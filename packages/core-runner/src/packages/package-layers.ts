import { join } from 'node:path';
import type { DbtProjectFile } from '../project/dbt-project-file.js';
import { defineLayer, type Layer } from '../project/define-layer.js';
import { findInstalledPackages } from './installed-packages.js';

/** The install folder of a project (`packages-install-path`, default `dbt_packages`). */
export function installFolderOf(
  rootDir: string,
  project: Pick<DbtProjectFile, 'packagesInstallPath'>,
): string {
  return join(rootDir, project.packagesInstallPath ?? 'dbt_packages');
}

/**
 * One layer per installed package, named as its dbt_project.yml names it. A package layer sees
 * only itself (its macros unqualified); other packages are reached through their namespace
 * (`dbt_date.today()`), as in dbt, and the root project depends on every package.
 */
export function packageLayers(rootDir: string, project: DbtProjectFile): Layer[] {
  return findInstalledPackages(installFolderOf(rootDir, project))
    .filter((pkg) => pkg.name !== project.name)
    .map((pkg) => defineLayer({ name: pkg.name, root: pkg.root }));
}
