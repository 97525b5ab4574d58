import { cpSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ShopsmartError, throwIfAny } from '../errors.js';
import { readDbtProjectFile } from '../project/dbt-project-file.js';
import { findInstalledPackages, type InstalledPackage, readPackageIdentity } from './installed-packages.js';
import { installFolderOf } from './package-layers.js';
import { type LockedPackage, packagesHash, readPackageLock, writePackageLock } from './package-lock.js';
import { type Fetched, fetchGit, fetchTarball, hubUrl, hubVersions } from './package-sources.js';
import { type PackageSpec, readPackagesFile } from './packages-file.js';
import { inRange, parseVersion, rangeText, reduceVersions, resolveVersion } from './version-range.js';

export interface DepsOptions {
  cliVars?: Record<string, unknown>;
  /** `--upgrade`: resolve again even when package-lock.yml matches the packages file. */
  upgrade?: boolean;
  /** `--lock`: write package-lock.yml only, install nothing. */
  lockOnly?: boolean;
  /** One line per step, as dbt prints them (`Installing dbt_utils`, `Installed from <local path>`). */
  onEvent?: (line: string) => void;
}

export interface InstalledEntry {
  name: string;
  source: 'local' | 'git' | 'hub';
  /** The local path, the git commit, or the hub version. */
  version: string;
  /** Already in the install folder and kept without fetching (no network needed). */
  kept: boolean;
}

export interface DepsResult {
  installPath: string;
  packages: InstalledEntry[];
  lockFile?: string;
}

interface Resolved {
  name: string;
  source: InstalledEntry['source'];
  version: string;
  /** Folder to install from; absent when the installed copy is kept. */
  from?: string;
  lock: LockedPackage;
  kept: boolean;
  fetched?: Fetched;
}

/** A spec with the folder its packages file sits in (a package's own deps are relative to it). */
interface Pending {
  spec: PackageSpec;
  declaredIn: string;
  file: string;
}

const label = (spec: PackageSpec): string =>
  spec.kind === 'local' ? spec.local : spec.kind === 'git' ? spec.git : spec.package;

/**
 * `deps`: resolves the packages of packages.yml / dependencies.yml (and theirs, transitively),
 * installs them into `dbt_packages/` (a symlink for `local:`, a copy for git and hub) and writes
 * package-lock.yml as dbt does. When the lock matches the packages file, its pins are used.
 * Without network a git or hub package fails with an error naming it, unless a satisfying copy is
 * already installed (then it is kept); local packages never need the network.
 *
 * @example
 * await installPackages('/proj', { onEvent: console.log });
 * // Installing ../ → Installed dbt_utils from local ../  (dbt_packages/dbt_utils → ../)
 */
export async function installPackages(rootDir: string, options: DepsOptions = {}): Promise<DepsResult> {
  const root = resolve(rootDir);
  const say = options.onEvent ?? (() => {});
  const { project, errors: projectErrors } = readDbtProjectFile(root, { cliVars: options.cliVars ?? {} });
  throwIfAny(projectErrors);
  const installPath = installFolderOf(root, project);
  const { packages, errors } = readPackagesFile(root, options.cliVars);
  throwIfAny(errors);
  if (packages.specs.length === 0) {
    say('No packages were found in packages.yml');
    return { installPath, packages: [] };
  }
  const hash = packagesHash(packages.specs);
  const previous = readPackageLock(root);
  const lock = previous && previous.sha1_hash === hash && !options.upgrade ? previous : undefined;
  const installed = findInstalledPackages(installPath);

  const resolved = new Map<string, Resolved>();
  const hubRanges = new Map<string, string[][]>();
  const problems: ShopsmartError[] = [];
  const queue: Pending[] = packages.specs.map((spec) => ({
    spec,
    declaredIn: root,
    file: packages.file ?? '',
  }));
  try {
    while (queue.length > 0) {
      const pending = queue.shift() as Pending;
      const outcome = await resolveOne(pending, { root, installed, lock, hubRanges, resolved });
      if ('error' in outcome) {
        problems.push(outcome.error);
        continue;
      }
      if (!outcome.resolved) continue;
      const entry = outcome.resolved;
      const other = resolved.get(entry.name);
      if (other && other.source !== entry.source) {
        problems.push(
          new ShopsmartError(
            'SSA-DEPS-409',
            `package '${entry.name}' is declared twice, from ${other.source} and from ${entry.source} ('${label(pending.spec)}')`,
            { file: rel(root, pending.file), line: pending.spec.line, hint: 'keep one entry for it' },
          ),
        );
        continue;
      }
      if (other) continue;
      resolved.set(entry.name, entry);
      // A package's own packages file: its dependencies are installed beside it, as dbt does.
      const dir = entry.from ?? installed.find((p) => p.name === entry.name)?.root;
      if (dir) {
        const own = readPackagesFile(dir, options.cliVars);
        problems.push(...own.errors);
        for (const spec of own.packages.specs)
          queue.push({ spec, declaredIn: dir, file: own.packages.file ?? '' });
      }
    }
    throwIfAny(problems);
    const order = [...resolved.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    const lockFile = writePackageLock(root, {
      packages: order.map((r) => r.lock),
      sha1_hash: hash,
    });
    say(`Updated lock file ${relative(root, lockFile)}`);
    if (options.lockOnly) return { installPath, packages: order.map(entryOf), lockFile };
    mkdirSync(installPath, { recursive: true });
    // dbt empties the install folder; kept packages (offline) stay.
    for (const folder of readdirSync(installPath)) {
      const keep = order.find((r) => r.kept && installed.find((p) => p.name === r.name)?.folder === folder);
      if (!keep) rmSync(join(installPath, folder), { recursive: true, force: true });
    }
    for (const entry of order) {
      say(`Installing ${entry.name}`);
      if (entry.kept) {
        say(`  Kept the installed copy (${entry.source} ${entry.version})`);
        continue;
      }
      const dest = join(installPath, entry.name);
      if (entry.source === 'local') {
        try {
          symlinkSync(relative(installPath, entry.from as string) || '.', dest, 'dir');
        } catch {
          cpSync(entry.from as string, dest, {
            recursive: true,
            filter: (src) => !src.includes(`${installPath}/`),
          });
        }
        say(`  Installed from ${entry.version}`);
      } else {
        try {
          renameSync(entry.from as string, dest);
        } catch {
          cpSync(entry.from as string, dest, { recursive: true });
        }
        say(`  Installed from ${entry.source === 'git' ? 'revision' : 'version'} ${entry.version}`);
      }
    }
    return { installPath, packages: order.map(entryOf), lockFile };
  } finally {
    for (const entry of resolved.values()) entry.fetched?.cleanup();
  }
}

const entryOf = (r: Resolved): InstalledEntry => ({
  name: r.name,
  source: r.source,
  version: r.version,
  kept: r.kept,
});

const rel = (root: string, file: string) => (file ? relative(root, file) || file : undefined);

interface ResolveContext {
  root: string;
  installed: InstalledPackage[];
  lock: { packages: LockedPackage[] } | undefined;
  hubRanges: Map<string, string[][]>;
  resolved: Map<string, Resolved>;
}

async function resolveOne(
  pending: Pending,
  context: ResolveContext,
): Promise<{ resolved?: Resolved } | { error: ShopsmartError }> {
  const { spec, declaredIn, file } = pending;
  const where = { file: rel(context.root, file), line: spec.line };
  if (spec.kind === 'local') {
    const path = isAbsolute(spec.local) ? spec.local : resolve(declaredIn, spec.local);
    const identity = readPackageIdentity(path);
    if (!identity)
      return {
        error: new ShopsmartError(
          'SSA-DEPS-404',
          `local package '${spec.local}' has no dbt_project.yml with a name (looked in ${path})`,
          { ...where, hint: 'local: is a folder holding a dbt project, relative to the file declaring it' },
        ),
      };
    return {
      resolved: {
        name: identity.name,
        source: 'local',
        version: spec.local,
        from: path,
        lock: { local: spec.local, name: identity.name },
        kept: false,
      },
    };
  }
  if (spec.kind === 'git') {
    const pinned = context.lock?.packages.find(
      (p) => p.git === spec.git && (p.subdirectory ?? undefined) === spec.subdirectory,
    );
    const revision = typeof pinned?.revision === 'string' ? pinned.revision : spec.revision;
    const fetched = fetchGit(spec.git, revision);
    if ('error' in fetched) {
      const name = typeof pinned?.name === 'string' ? pinned.name : guessName(spec.subdirectory ?? spec.git);
      const copy = context.installed.find((p) => p.name === name);
      if (copy)
        return {
          resolved: {
            name: copy.name,
            source: 'git',
            version: revision ?? 'HEAD',
            lock: lockOfGit(spec, revision ?? 'HEAD', copy.name),
            kept: true,
          },
        };
      return {
        error: new ShopsmartError(
          'SSA-DEPS-503',
          `git package '${spec.git}'${spec.revision ? ` (revision ${spec.revision})` : ''} cannot be fetched: ${fetched.error}`,
          {
            ...where,
            hint: `no network? put a copy of it in dbt_packages/${name} (deps keeps an installed copy), or point a local: entry at a checkout`,
          },
        ),
      };
    }
    const dir = spec.subdirectory ? join(fetched.dir, spec.subdirectory) : fetched.dir;
    const identity = readPackageIdentity(dir);
    if (!identity) {
      fetched.cleanup();
      return {
        error: new ShopsmartError(
          'SSA-DEPS-404',
          `git package '${spec.git}'${spec.subdirectory ? ` (subdirectory ${spec.subdirectory})` : ''} has no dbt_project.yml with a name`,
          { ...where, hint: 'subdirectory: names the folder holding dbt_project.yml' },
        ),
      };
    }
    return {
      resolved: {
        name: identity.name,
        source: 'git',
        version: fetched.pinned,
        from: dir,
        lock: lockOfGit(spec, fetched.pinned, identity.name),
        kept: false,
        fetched,
      },
    };
  }
  // Hub: every entry for the package narrows one range (dbt's reduce_versions).
  const ranges = context.hubRanges.get(spec.package) ?? [];
  ranges.push(spec.versions);
  context.hubRanges.set(spec.package, ranges);
  const reduced = reduceVersions(...ranges);
  if ('error' in reduced)
    return {
      error: new ShopsmartError('SSA-DEPS-409', `package '${spec.package}': ${reduced.error}`, {
        ...where,
        hint: 'the packages asking for it must agree on a version range',
      }),
    };
  const already = [...context.resolved.values()].find((r) => r.lock.package === spec.package);
  if (already) {
    const version = parseVersion(already.version);
    if (version && inRange(version, reduced.range)) return {};
    return {
      error: new ShopsmartError(
        'SSA-DEPS-409',
        `package '${spec.package}' resolved to ${already.version}, outside ${rangeText(reduced.range)} asked here`,
        { ...where, hint: 'the packages asking for it must agree on a version range' },
      ),
    };
  }
  const pinned = context.lock?.packages.find((p) => p.package === spec.package);
  const wanted = typeof pinned?.version === 'string' ? reduceVersions(...ranges, [pinned.version]) : reduced;
  const range = 'range' in wanted ? wanted.range : reduced.range;
  const name = typeof pinned?.name === 'string' ? pinned.name : guessName(spec.package);
  const copy = context.installed.find((p) => p.name === name);
  const copyVersion = copy?.version ? parseVersion(copy.version) : undefined;
  const keep = (version: string): Resolved => ({
    name,
    source: 'hub',
    version,
    lock: { name, package: spec.package, version },
    kept: true,
  });
  const index = await hubVersions(spec.package);
  if ('error' in index) {
    if (copy && copyVersion && inRange(copyVersion, range)) return { resolved: keep(copy.version as string) };
    const found = copy
      ? `; dbt_packages/${copy.folder} holds version ${copy.version ?? 'unknown'}, outside ${rangeText(range)}`
      : '';
    return {
      error: new ShopsmartError(
        'SSA-DEPS-503',
        `hub package '${spec.package}' (version ${rangeText(range)}) cannot be fetched from ${hubUrl()}: ${index.error}${found}`,
        {
          ...where,
          hint: `no network? put a copy of version ${rangeText(range)} in dbt_packages/${name} (deps keeps an installed copy whose dbt_project.yml version is in range), or use a local: entry`,
        },
      ),
    };
  }
  const version = resolveVersion(range, Object.keys(index.versions), spec.installPrerelease);
  if (!version)
    return {
      error: new ShopsmartError(
        'SSA-DEPS-404',
        `hub package '${spec.package}' has no version in ${rangeText(range)} (it has ${Object.keys(index.versions).join(', ') || 'none'})`,
        { ...where, hint: 'widen the version range' },
      ),
    };
  if (copy?.version === version) return { resolved: keep(version) };
  const fetched = await fetchTarball(index.versions[version] as string, version);
  if ('error' in fetched)
    return {
      error: new ShopsmartError(
        'SSA-DEPS-503',
        `hub package '${spec.package}' ${version} cannot be downloaded: ${fetched.error}`,
        where,
      ),
    };
  const identity = readPackageIdentity(fetched.dir);
  const actual = identity?.name ?? name;
  return {
    resolved: {
      name: actual,
      source: 'hub',
      version,
      from: fetched.dir,
      lock: { name: actual, package: spec.package, version },
      kept: false,
      fetched,
    },
  };
}

function lockOfGit(
  spec: Extract<PackageSpec, { kind: 'git' }>,
  revision: string,
  name: string,
): LockedPackage {
  return {
    git: spec.git,
    name,
    revision,
    ...(spec.subdirectory ? { subdirectory: spec.subdirectory } : {}),
  };
}

/** `dbt-labs/dbt_utils` → `dbt_utils`; `https://…/dbt-audit-helper.git` → `dbt_audit_helper`. */
function guessName(reference: string): string {
  const last =
    reference
      .replace(/\.git$/, '')
      .replace(/\/+$/, '')
      .split('/')
      .at(-1) ?? reference;
  return last.replace(/-/g, '_');
}
