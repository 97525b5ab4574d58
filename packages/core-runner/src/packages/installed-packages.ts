import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { yamlLibrary } from '../project/yaml-library.js';

/** A package found in the project's `dbt_packages/` (or its `packages-install-path`). */
export interface InstalledPackage {
  /** The `name:` of its dbt_project.yml: its macro namespace and `ref('<name>', …)` package. */
  name: string;
  /** Absolute folder (inside the install path; a `local:` package is a symlink there). */
  root: string;
  /** The folder's own name in the install path. */
  folder: string;
  version?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The install path a dbt_project.yml names (`packages-install-path`, default `dbt_packages`). */
export function packagesInstallPath(rootDir: string, project?: Record<string, unknown>): string {
  const configured = project?.['packages-install-path'];
  return join(rootDir, typeof configured === 'string' ? configured : 'dbt_packages');
}

/** Name and version from a folder's dbt_project.yml; undefined when it has none or no name. */
export function readPackageIdentity(root: string): { name: string; version?: string } | undefined {
  const file = join(root, 'dbt_project.yml');
  if (!existsSync(file)) return undefined;
  let value: unknown;
  try {
    value = yamlLibrary().parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (!isObj(value) || typeof value.name !== 'string') return undefined;
  return {
    name: value.name,
    ...(value.version !== undefined ? { version: String(value.version) } : {}),
  };
}

/**
 * Every package installed under `installPath`, sorted by name: each sub-folder holding a
 * dbt_project.yml with a name. An absent folder means no packages (the project never ran deps).
 */
export function findInstalledPackages(installPath: string): InstalledPackage[] {
  let entries: string[];
  try {
    entries = readdirSync(installPath);
  } catch {
    return [];
  }
  const found: InstalledPackage[] = [];
  for (const folder of entries.sort()) {
    if (folder.startsWith('.')) continue;
    const root = join(installPath, folder);
    try {
      if (!statSync(root).isDirectory()) continue;
    } catch {
      continue; // a dangling symlink (a local package moved away): deps reinstalls it
    }
    const identity = readPackageIdentity(root);
    if (identity) found.push({ ...identity, root, folder });
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
