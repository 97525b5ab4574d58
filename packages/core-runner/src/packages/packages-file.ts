import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShopsmartError } from '../errors.js';
import { readYaml } from '../project/yaml-reader.js';
import { renderYamlValue } from '../project/yaml-value-renderer.js';

/** One entry of packages.yml / dependencies.yml, rendered (`env_var()` read), as dbt reads it. */
export type PackageSpec =
  | {
      kind: 'local';
      local: string;
      raw: Record<string, unknown>;
      unrendered: Record<string, unknown>;
      line: number;
    }
  | {
      kind: 'git';
      git: string;
      revision?: string;
      subdirectory?: string;
      raw: Record<string, unknown>;
      unrendered: Record<string, unknown>;
      line: number;
    }
  | {
      kind: 'hub';
      /** `org/name` on the dbt package hub. */
      package: string;
      versions: string[];
      installPrerelease: boolean;
      raw: Record<string, unknown>;
      unrendered: Record<string, unknown>;
      line: number;
    };

export interface PackagesFile {
  /** Absolute path of the file read; undefined when the project declares no packages. */
  file?: string;
  specs: PackageSpec[];
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads the packages a project (or an installed package) declares: `packages.yml`, or the
 * `packages:` of `dependencies.yml` (dbt refuses both at once). Values are rendered as dbt renders
 * them (`env_var()`, secrets allowed, for git tokens). Problems are returned, not thrown.
 *
 * @example
 * // packages.yml: packages: [{ local: ../ }, { package: dbt-labs/dbt_utils, version: [">=1.0.0", "<2.0.0"] }]
 * readPackagesFile('/proj') // → { specs: [{ kind: 'local', local: '../' }, { kind: 'hub', package: 'dbt-labs/dbt_utils', versions: ['>=1.0.0', '<2.0.0'] }] }
 */
export function readPackagesFile(
  projectDir: string,
  cliVars: Record<string, unknown> = {},
): { packages: PackagesFile; errors: ShopsmartError[] } {
  const candidates = ['packages.yml', 'dependencies.yml'].map((name) => join(projectDir, name));
  const present = candidates.filter((file) => existsSync(file));
  const errors: ShopsmartError[] = [];
  if (present.length === 0) return { packages: { specs: [] }, errors };
  const file = present[0] as string;
  const { yaml, errors: yamlErrors } = readYaml(readFileSync(file, 'utf8'), file);
  errors.push(...yamlErrors);
  if (!yaml) return { packages: { file, specs: [] }, errors };
  const value = isObj(yaml.value) ? yaml.value : {};
  if (present.length > 1 && value.packages !== undefined) {
    const other = readYaml(readFileSync(present[1] as string, 'utf8'), present[1] as string).yaml?.value;
    if (isObj(other) && other.packages !== undefined)
      errors.push(
        new ShopsmartError(
          'SSA-DEPS-002',
          'packages are declared in both packages.yml and dependencies.yml',
          {
            file,
            hint: 'keep them in one of the two files, as dbt requires',
          },
        ),
      );
  }
  const list = value.packages ?? [];
  if (!Array.isArray(list)) {
    errors.push(
      new ShopsmartError('SSA-DEPS-001', "'packages' must be a list", {
        file,
        line: yaml.lineOf(['packages']),
      }),
    );
    return { packages: { file, specs: [] }, errors };
  }
  const specs: PackageSpec[] = [];
  for (const [index, entry] of list.entries()) {
    const line = yaml.lineOf(['packages', index]);
    if (!isObj(entry)) {
      errors.push(
        new ShopsmartError(
          'SSA-DEPS-001',
          'a package entry is a mapping (local:, git:, or package: + version:)',
          {
            file,
            line,
          },
        ),
      );
      continue;
    }
    const rendered = renderYamlValue(entry, ['packages', index], {
      file,
      lineOf: yaml.lineOf,
      place: 'connection',
      cliVars,
    });
    errors.push(...rendered.errors);
    const raw = rendered.value as Record<string, unknown>;
    const text = (key: string) =>
      raw[key] === undefined || raw[key] === null ? undefined : String(raw[key]);
    const base = { raw, unrendered: entry, line };
    if (text('local') !== undefined) specs.push({ kind: 'local', local: text('local') as string, ...base });
    else if (text('git') !== undefined)
      specs.push({
        kind: 'git',
        git: text('git') as string,
        ...(text('revision') ? { revision: text('revision') } : {}),
        ...(text('subdirectory') ? { subdirectory: text('subdirectory') } : {}),
        ...base,
      });
    else if (text('package') !== undefined) {
      const version = raw.version;
      if (version === undefined || version === null) {
        errors.push(
          new ShopsmartError('SSA-DEPS-003', `package '${text('package')}' has no version`, {
            file,
            line,
            hint: 'hub packages need a version or range, e.g. version: [">=1.0.0", "<2.0.0"]',
          }),
        );
        continue;
      }
      specs.push({
        kind: 'hub',
        package: text('package') as string,
        versions: (Array.isArray(version) ? version : [version]).map(String),
        installPrerelease: raw['install-prerelease'] === true,
        ...base,
      });
    } else if (text('tarball') !== undefined || text('private') !== undefined) {
      errors.push(
        new ShopsmartError(
          'SSA-DEPS-004',
          `'${text('tarball') ?? text('private')}': tarball and private packages are not supported`,
          {
            file,
            line,
            hint: 'use local:, git: or package: entries (or unpack it into a folder and use local:)',
          },
        ),
      );
    } else {
      errors.push(
        new ShopsmartError('SSA-DEPS-001', 'a package entry needs one of local:, git: or package:', {
          file,
          line,
        }),
      );
    }
  }
  return { packages: { file, specs }, errors };
}
