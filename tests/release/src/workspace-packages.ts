import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkspacePackage {
  name: string;
  /** Folder relative to the repository root. */
  dir: string;
  version: string;
  private: boolean;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
}

/** The workspace packages of the repository at `root` (packages/*, apps/*, tests/*). */
export function workspacePackages(root: string): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  for (const group of ['packages', 'apps', 'tests']) {
    for (const entry of readdirSync(join(root, group), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = `${group}/${entry.name}`;
      let pkg: Record<string, unknown>;
      try {
        pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
      } catch {
        continue;
      }
      found.push({
        name: String(pkg.name),
        dir,
        version: String(pkg.version),
        private: pkg.private === true,
        dependencies: (pkg.dependencies ?? {}) as Record<string, string>,
        peerDependencies: (pkg.peerDependencies ?? {}) as Record<string, string>,
      });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** Packages that depend on `name` through dependencies or peerDependencies, transitively. */
export function dependentsOf(name: string, packages: WorkspacePackage[]): Set<string> {
  const dependents = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const pkg of packages) {
      if (dependents.has(pkg.name)) continue;
      const uses = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
      if (uses.includes(name) || uses.some((dep) => dependents.has(dep))) {
        dependents.add(pkg.name);
        grew = true;
      }
    }
  }
  return dependents;
}

/** `1.2.3` bumped by `type`. */
export function bump(version: string, type: 'major' | 'minor' | 'patch'): string {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  if (type === 'major') return `${major + 1}.0.0`;
  if (type === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}
