import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The version of the layer format this core-runner reads: the manifest fragment a layer's build
 * writes and the folders it ships. Raise it when a layer built by an older core-runner would no
 * longer load correctly (and say so in the changeset: it is a breaking change of core-runner).
 */
export const LAYER_SCHEMA_VERSION = 1;

/** Layer schema versions this core-runner can load. */
export const supportedLayerSchemaVersions: readonly number[] = [LAYER_SCHEMA_VERSION];

export const coreRunnerPackageName = '@shopsmart/core-runner';

/** The `layer` section of a fragment (dist/manifest.json): who built it, for which core-runner. */
export interface LayerFragmentHeader {
  schema_version: number;
  /** The dbt package name of the layer (`marts`). */
  name: string;
  /** The npm package that ships it (`@shopsmart/marts`) and its version. */
  package: string;
  package_version: string;
  /** The core-runner that built and validated the fragment. */
  built_with: string;
  /** The core-runner versions the package accepts (its peerDependencies range). */
  core_runner: string;
}

let ownVersion: string | undefined;

/** This core-runner's version, read from its package.json (dist/ and src/ both sit one level below it). */
export function coreRunnerVersion(): string {
  if (ownVersion) return ownVersion;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === coreRunnerPackageName && pkg.version) {
        ownVersion = pkg.version;
        return ownVersion;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return '0.0.0';
    dir = parent;
  }
}

/** The header a layer build writes for the package in `packageJson`. */
export function layerFragmentHeader(
  layerName: string,
  packageJson: { name: string; version?: string; peerDependencies?: Record<string, string> },
): LayerFragmentHeader {
  return {
    schema_version: LAYER_SCHEMA_VERSION,
    name: layerName,
    package: packageJson.name,
    package_version: packageJson.version ?? '0.0.0',
    built_with: coreRunnerVersion(),
    core_runner: packageJson.peerDependencies?.[coreRunnerPackageName] ?? `^${coreRunnerVersion()}`,
  };
}
