// A fast answer to "is the CLI's build up to date?" for `pnpm cli`, so the usual case (nothing
// edited since the last build) needs neither Turborepo's process nor its hashing of every input.
//
// After a successful `turbo run build`, scripts/cli.mjs records a stamp: the time just before the
// inputs were looked at, the list of input files then, and every output file with its size and
// mtime. The build counts as fresh only while the stamp still describes the tree: no input file
// newer than that time, the same input files (an added, deleted or renamed file changes the list;
// git writes every file it checks out or restores with the current time) and the outputs exactly as
// the build left them. Anything else — no stamp (a fresh clone), a stamp from another layout, an
// edit, a deleted dist/ — means "ask Turborepo", which then builds what changed or replays its cache.
// The inputs looked at are a superset of Turborepo's (test files and READMEs too): an edit there
// costs one Turborepo run, never a stale build.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const STAMP_VERSION = 1;
/** Files whose change invalidates every build (they feed Turborepo's global hash or the install). */
const ROOT_INPUTS = [
  'package.json',
  'pnpm-lock.yaml',
  'pnpm-workspace.yaml',
  'turbo.json',
  'tsconfig.base.json',
  '.npmrc',
  'node_modules/.modules.yaml',
];
/** Folders and files git ignores (see .gitignore) and that are no build input. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.turbo', 'target', 'logs', 'coverage', '.git']);
const SKIPPED_FILE = /(\.duckdb(\.wal|\.lock)?|\.tsbuildinfo|^\.DS_Store)$/;
/** Kernel file times are coarse (up to a few ms behind the clock): leave a margin before the stamp. */
const CLOCK_MARGIN_MS = 500;

/** Workspace folders (packages/*, apps/*, tests/*) by package name. */
function workspacePackages(root) {
  const byName = new Map();
  for (const group of ['packages', 'apps', 'tests']) {
    let entries = [];
    try {
      entries = readdirSync(join(root, group), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const dir = `${group}/${entry.name}`;
      try {
        const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
        byName.set(manifest.name, { dir, manifest });
      } catch {
        // Not a package folder.
      }
    }
  }
  return byName;
}

/** The package and every workspace package it depends on, as folders relative to the root. */
export function packageGraph(root, name) {
  const byName = workspacePackages(root);
  const dirs = [];
  const seen = new Set();
  const visit = (pkg) => {
    if (seen.has(pkg)) return;
    seen.add(pkg);
    const found = byName.get(pkg);
    if (!found) return;
    dirs.push(found.dir);
    const { dependencies, devDependencies, peerDependencies, optionalDependencies } = found.manifest;
    for (const deps of [dependencies, devDependencies, peerDependencies, optionalDependencies]) {
      for (const [dep, spec] of Object.entries(deps ?? {}))
        if (String(spec).startsWith('workspace:')) visit(dep);
    }
  };
  visit(name);
  return dirs.sort();
}

function walk(root, dir, onFile) {
  let entries;
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) walk(root, path, onFile);
    } else if (!SKIPPED_FILE.test(entry.name)) onFile(path);
  }
}

/** Input files of the package folders and the root files, each with its mtime. */
function inputs(root, dirs) {
  const files = [];
  const add = (path) => {
    try {
      files.push({ path, mtimeMs: statSync(join(root, path)).mtimeMs });
    } catch {
      // Absent (an optional root file) or gone while walking.
    }
  };
  for (const file of ROOT_INPUTS) add(file);
  for (const dir of dirs) walk(root, dir, add);
  return files;
}

/** A digest of every dist/ file of the packages: path, size and mtime; null when a dist/ is missing. */
function outputsDigest(root, dirs) {
  const hash = createHash('sha256');
  for (const dir of dirs) {
    try {
      statSync(join(root, dir, 'dist'));
    } catch {
      const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
      if (manifest.scripts?.build) return null;
      continue;
    }
    const files = [];
    walk(root, `${dir}/dist`, (path) => files.push(path));
    for (const path of files.sort()) {
      const stat = statSync(join(root, path));
      hash.update(`${path}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
  }
  return hash.digest('hex');
}

const listDigest = (files) =>
  createHash('sha256')
    .update(
      files
        .map((f) => f.path)
        .sort()
        .join('\n'),
    )
    .digest('hex');

/**
 * Looks at the tree before a build check. `fresh` is true when the stamp at `stampPath` says the
 * build of `dirs` is up to date; `record()` (call it after a successful build) writes a new stamp.
 */
export function checkBuild(root, dirs, stampPath) {
  const lookedAt = Date.now() - CLOCK_MARGIN_MS;
  const files = inputs(root, dirs);
  const inputList = listDigest(files);
  let fresh = false;
  try {
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
    fresh =
      stamp.version === STAMP_VERSION &&
      stamp.root === root &&
      stamp.inputs === inputList &&
      files.every((f) => f.mtimeMs < stamp.time) &&
      stamp.outputs === outputsDigest(root, dirs);
  } catch {
    fresh = false;
  }
  const record = () => {
    const outputs = outputsDigest(root, dirs);
    if (outputs === null) return;
    mkdirSync(dirname(stampPath), { recursive: true });
    const temp = `${stampPath}.${process.pid}.tmp`;
    writeFileSync(
      temp,
      JSON.stringify({ version: STAMP_VERSION, root, time: lookedAt, inputs: inputList, outputs }),
    );
    renameSync(temp, stampPath);
  };
  return { fresh, record };
}
