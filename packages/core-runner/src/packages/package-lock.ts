import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { yamlLibrary } from '../project/yaml-library.js';
import type { PackageSpec } from './packages-file.js';

export const packageLockFileName = 'package-lock.yml';

/** One pinned package as package-lock.yml records it (dbt's pinned `to_dict()` plus `name`). */
export type LockedPackage = Record<string, unknown> & { name: string };

export interface PackageLock {
  packages: LockedPackage[];
  sha1_hash: string;
}

/** Python's `json.dumps(value, sort_keys=True)`: `", "` and `": "` separators, non-ASCII escaped. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === 'string')
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return `{${entries.map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
}

/**
 * dbt's `_create_sha1_hash`: each declared entry (rendered, with its unrendered form under
 * `unrendered`) dumped as sorted JSON, the lines sorted, joined by newlines, SHA-1'd. A lock whose
 * hash differs from the packages file's is stale and deps resolves again.
 *
 * @example
 * packagesHash([{ kind: 'local', local: '../', raw: { local: '../' }, unrendered: { local: '../' }, line: 2 }])
 * // → 'de2deba3d66ce03d8c02949013650cc9b94f6030' (what dbt writes for `- local: ../`)
 */
export function packagesHash(specs: readonly PackageSpec[]): string {
  const lines = specs.map((spec) => pythonJsonDumps({ ...spec.raw, unrendered: spec.unrendered })).sort();
  return createHash('sha1').update(lines.join('\n')).digest('hex');
}

/** package-lock.yml as dbt dumps it: keys sorted, list items indented under `packages:`. */
export function formatPackageLock(lock: PackageLock): string {
  return yamlLibrary().stringify(lock, {
    sortMapEntries: true,
    singleQuote: true,
    indentSeq: true,
    lineWidth: 0,
  });
}

export function readPackageLock(rootDir: string): PackageLock | undefined {
  const file = join(rootDir, packageLockFileName);
  if (!existsSync(file)) return undefined;
  try {
    const value = yamlLibrary().parse(readFileSync(file, 'utf8')) as Partial<PackageLock> | null;
    if (!value || !Array.isArray(value.packages)) return undefined;
    return { packages: value.packages as LockedPackage[], sha1_hash: String(value.sha1_hash ?? '') };
  } catch {
    return undefined;
  }
}

export function writePackageLock(rootDir: string, lock: PackageLock): string {
  const file = join(rootDir, packageLockFileName);
  writeFileSync(file, formatPackageLock(lock));
  return file;
}
