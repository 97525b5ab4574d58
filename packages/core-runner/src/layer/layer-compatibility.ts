import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Layer } from '../project/define-layer.js';
import {
  coreRunnerPackageName,
  coreRunnerVersion,
  type LayerFragmentHeader,
  supportedLayerSchemaVersions,
} from './layer-schema.js';
import { LayerVersionError } from './layer-version-error.js';

/** The fragment a layer package's build wrote, relative to the layer root. */
export const layerFragmentPath = join('dist', 'manifest.json');

/**
 * Checks that a built layer package was written for a layer schema this core-runner reads.
 * A layer without a fragment (a folder in the project, a package's sources under test) is not a
 * built package and passes. Returns the problem rather than throwing it.
 */
export function layerCompatibilityProblem(layer: Layer): LayerVersionError | undefined {
  const file = join(layer.root, layerFragmentPath);
  if (!existsSync(file)) return undefined;
  let header: Partial<LayerFragmentHeader> | undefined;
  try {
    header = fragmentHeader(file);
  } catch {
    header = undefined;
  }
  const schemaVersion = typeof header?.schema_version === 'number' ? header.schema_version : undefined;
  if (schemaVersion !== undefined && supportedLayerSchemaVersions.includes(schemaVersion)) return undefined;
  const pkg = readPackageJson(layer.root);
  const newest = Math.max(...supportedLayerSchemaVersions);
  // A layer from a newer core-runner needs at least the one that built it; an older layer needs
  // the core-runner range it was published for.
  const newer = schemaVersion !== undefined && schemaVersion > newest;
  const builtWith = header?.built_with;
  const needs =
    newer && builtWith
      ? `>=${builtWith}`
      : (header?.core_runner ?? pkg.peerDependencies?.[coreRunnerPackageName] ?? `<${coreRunnerVersion()}`);
  return new LayerVersionError({
    packageName: header?.package ?? pkg.name ?? layer.name,
    packageVersion: header?.package_version ?? pkg.version ?? '0.0.0',
    schemaVersion,
    needs,
    coreRunnerVersion: coreRunnerVersion(),
    supported: supportedLayerSchemaVersions,
    file,
  });
}

/**
 * The fragment's `layer` header. Fragments are megabytes and the header comes first, so it is
 * read from the file's head when it is there; otherwise the whole file is parsed.
 */
function fragmentHeader(file: string): Partial<LayerFragmentHeader> | undefined {
  const head = Buffer.alloc(4096);
  const fd = openSync(file, 'r');
  let length: number;
  try {
    length = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const match = /^\s*\{\s*"layer"\s*:\s*(\{[^{}]*\})/.exec(head.subarray(0, length).toString('utf8'));
  if (match) return JSON.parse(match[1] as string) as Partial<LayerFragmentHeader>;
  return (JSON.parse(readFileSync(file, 'utf8')) as { layer?: Partial<LayerFragmentHeader> }).layer;
}

function readPackageJson(root: string): {
  name?: string;
  version?: string;
  peerDependencies?: Record<string, string>;
} {
  try {
    return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  } catch {
    return {};
  }
}
