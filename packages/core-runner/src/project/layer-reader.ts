import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Layer } from './define-layer.js';

export type LayerFileKind = 'model' | 'macro' | 'seed' | 'snapshot' | 'test' | 'analysis';

export interface LayerFile {
  kind: LayerFileKind;
  /** Path relative to the layer root, always with `/`. */
  path: string;
  absolutePath: string;
  extension: 'sql' | 'yml' | 'md' | 'csv';
  text: string;
}

/** The folders a dbt project reads, with dbt's defaults. */
export interface ResourcePaths {
  model: string[];
  macro: string[];
  seed: string[];
  snapshot: string[];
  test: string[];
  analysis: string[];
}

export const defaultResourcePaths: ResourcePaths = {
  model: ['models'],
  macro: ['macros'],
  seed: ['seeds'],
  snapshot: ['snapshots'],
  test: ['tests'],
  analysis: ['analyses'],
};

const extensions = new Set(['sql', 'yml', 'yaml', 'md', 'csv']);

/** Where file texts come from: the disk, or the parse cache for files it knows unchanged. */
export type FileSource = (absolutePath: string) => string;

const readFromDisk: FileSource = (absolutePath) => readFileSync(absolutePath, 'utf8');

/** Reads every file the layer's resource folders hold. I/O only; no parsing. */
export function readLayerFiles(
  layer: Layer,
  paths: ResourcePaths = defaultResourcePaths,
  read: FileSource = readFromDisk,
): LayerFile[] {
  const files: LayerFile[] = [];
  // path.relative costs ~5 µs a call: a file `walk` found under an absolute, normalised root is cut instead
  const root = join(layer.root);
  const rootPrefix = isAbsolute(root) ? (root.endsWith(sep) ? root : `${root}${sep}`) : undefined;
  const underRoot = (path: string) =>
    rootPrefix !== undefined && path.startsWith(rootPrefix)
      ? path.slice(rootPrefix.length)
      : relative(layer.root, path);
  for (const [kind, folders] of Object.entries(paths) as [LayerFileKind, string[]][]) {
    for (const folder of folders) {
      for (const absolutePath of walk(join(layer.root, folder))) {
        const ext = absolutePath.slice(absolutePath.lastIndexOf('.') + 1);
        if (!extensions.has(ext)) continue;
        // Unit test fixture files (tests/fixtures/*.csv|sql) are data, not singular tests (as in dbt).
        if (kind === 'test' && relative(join(layer.root, folder), absolutePath).split(sep)[0] === 'fixtures')
          continue;
        files.push({
          kind,
          path: sep === '/' ? underRoot(absolutePath) : underRoot(absolutePath).split(sep).join('/'),
          absolutePath,
          extension: (ext === 'yaml' ? 'yml' : ext) as LayerFile['extension'],
          text: ext === 'csv' ? '' : read(absolutePath),
        });
      }
    }
  }
  return files.sort((a, b) => pathOrder.compare(a.path, b.path));
}

/** Every file under `dir` (sorted, hidden entries and node_modules left out); none when it is absent. */
export function walk(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  // join(dir, name) without normalising the same folder again for every entry (~4 µs each)
  const base = join(dir);
  const prefix = base === '.' ? undefined : base.endsWith(sep) ? base : `${base}${sep}`;
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = prefix === undefined ? join(dir, entry.name) : prefix + entry.name;
    const isDirectory = entry.isSymbolicLink() ? statSync(full).isDirectory() : entry.isDirectory();
    if (isDirectory) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

/** `localeCompare`'s order (the same collation), without building a collator for every comparison. */
const pathOrder = new Intl.Collator();
