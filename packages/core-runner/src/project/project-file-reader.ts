import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ShopsmartError, throwIfAny } from '../errors.js';
import { readDbtProjectFile } from './dbt-project-file.js';
import { defineLayer, type Layer } from './define-layer.js';
import { defaultTargets, type ProjectDefinition, type TargetConfig } from './project-definition.js';
import { readYaml } from './yaml-reader.js';

export const projectFileName = 'shopsmart.yml';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Finds and reads the project in `projectDir`: a `shopsmart.yml` composing layer packages, or a
 * plain dbt project (`dbt_project.yml`, with `profiles.yml` from `profilesDir`, the project dir or ~/.dbt).
 */
export async function readProject(projectDir: string, profilesDir?: string): Promise<ProjectDefinition> {
  const root = resolve(projectDir);
  if (existsSync(join(root, projectFileName))) return readShopsmartProject(root);
  if (existsSync(join(root, 'dbt_project.yml'))) return readDbtProject(root, profilesDir);
  throw new ShopsmartError('SSA-PROJECT-001', `no ${projectFileName} or dbt_project.yml in ${root}`, {
    hint: 'run from the project folder or pass --project-dir',
  });
}

function parseTargets(
  raw: unknown,
  rootDir: string,
  file: string,
  lineOf: (p: (string | number)[]) => number,
  path: string[],
): { targets: Record<string, TargetConfig>; errors: ShopsmartError[] } {
  const errors: ShopsmartError[] = [];
  if (raw === undefined) return { targets: defaultTargets(rootDir), errors };
  if (!isObj(raw))
    return {
      targets: defaultTargets(rootDir),
      errors: [
        new ShopsmartError('SSA-PROJECT-003', 'targets must be a mapping of target names', {
          file,
          line: lineOf(path),
        }),
      ],
    };
  const targets: Record<string, TargetConfig> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!isObj(value)) {
      errors.push(
        new ShopsmartError('SSA-PROJECT-003', `target '${name}' must be a mapping`, {
          file,
          line: lineOf([...path, name]),
        }),
      );
      continue;
    }
    const type = String(value.type ?? 'duckdb');
    if (type !== 'duckdb') {
      errors.push(
        new ShopsmartError(
          'SSA-PROJECT-004',
          `target '${name}' has type '${type}'; this engine runs on duckdb`,
          { file, line: lineOf([...path, name, 'type']) },
        ),
      );
    }
    const rawPath = String(value.path ?? `warehouse/${name}.duckdb`);
    const threads = Number(value.threads ?? (name === 'prod' ? 8 : 4));
    if (!Number.isInteger(threads) || threads < 1) {
      errors.push(
        new ShopsmartError('SSA-PROJECT-005', `target '${name}': threads must be a positive integer`, {
          file,
          line: lineOf([...path, name, 'threads']),
        }),
      );
    }
    const { path: _p, schema, threads: _t, type: _type, ...extra } = value;
    targets[name] = {
      name,
      type: 'duckdb',
      path: rawPath === ':memory:' || isAbsolute(rawPath) ? rawPath : join(rootDir, rawPath),
      schema: String(schema ?? 'main'),
      threads,
      extra,
    };
  }
  return { targets, errors };
}

async function importLayer(packageName: string, rootDir: string, file: string, line: number): Promise<Layer> {
  const require = createRequire(join(rootDir, 'package.json'));
  let entry: string;
  try {
    // Layer packages are ESM-only; resolve their package.json (always exported) and read the entry.
    const manifestPath = require.resolve(`${packageName}/package.json`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      exports?: { '.': { import?: string } };
      main?: string;
    };
    entry = join(dirname(manifestPath), manifest.exports?.['.']?.import ?? manifest.main ?? 'dist/index.js');
  } catch {
    throw new ShopsmartError(
      'SSA-PROJECT-006',
      `layer package '${packageName}' cannot be found from ${rootDir}`,
      {
        file,
        line,
        hint: `add it to package.json dependencies and run pnpm install (or build it: pnpm turbo build)`,
      },
    );
  }
  const module = (await import(pathToFileURL(entry).href)) as { layer?: Layer };
  if (!module.layer) {
    throw new ShopsmartError('SSA-PROJECT-007', `package '${packageName}' does not export a layer`, {
      file,
      line,
      hint: 'export const layer = defineLayer({...}) from its entry point',
    });
  }
  return module.layer;
}

async function readShopsmartProject(rootDir: string): Promise<ProjectDefinition> {
  const file = join(rootDir, projectFileName);
  const { yaml, errors } = readYaml(readFileSync(file, 'utf8'), projectFileName);
  throwIfAny(errors);
  const raw = (yaml?.value ?? {}) as Obj;
  const lineOf = yaml ? yaml.lineOf : () => 1;
  const layers: Layer[] = [];
  const byName = new Map<string, Layer>();
  const entries = Array.isArray(raw.layers) ? raw.layers : [];
  for (const [index, entry] of entries.entries()) {
    const line = lineOf(['layers', index]);
    if (typeof entry === 'string' || (isObj(entry) && typeof entry.package === 'string')) {
      const name = typeof entry === 'string' ? entry : (entry.package as string);
      const layer = await importLayer(name, rootDir, projectFileName, line);
      layers.push(layer);
      const visit = (l: Layer) => {
        byName.set(l.name, l);
        l.dependencies.forEach(visit);
      };
      visit(layer);
    } else if (isObj(entry) && typeof entry.path === 'string' && typeof entry.name === 'string') {
      const dependsOn = Array.isArray(entry.depends_on) ? entry.depends_on.map(String) : [];
      const dependencies = dependsOn.map((dep) => {
        const found = byName.get(dep);
        if (!found) {
          errors.push(
            new ShopsmartError(
              'SSA-PROJECT-008',
              `layer '${entry.name}' depends on '${dep}', which is not listed before it`,
              { file: projectFileName, line, hint: `known layers: ${[...byName.keys()].join(', ')}` },
            ),
          );
        }
        return found;
      });
      const root = isAbsolute(entry.path) ? entry.path : join(rootDir, entry.path);
      if (!existsSync(root)) {
        errors.push(
          new ShopsmartError(
            'SSA-PROJECT-012',
            `layer '${entry.name}' points at ${entry.path}, which does not exist`,
            { file: projectFileName, line, hint: 'paths are relative to the folder holding shopsmart.yml' },
          ),
        );
      }
      const layer = defineLayer({
        name: entry.name,
        root,
        dependencies: dependencies.filter((d): d is Layer => !!d),
        packageAliases: Array.isArray(entry.package_aliases) ? entry.package_aliases.map(String) : [],
      });
      byName.set(layer.name, layer);
      layers.push(layer);
    } else {
      errors.push(
        new ShopsmartError(
          'SSA-PROJECT-009',
          'a layer entry is a package name, or { path, name, depends_on, package_aliases }',
          { file: projectFileName, line },
        ),
      );
    }
  }
  const { targets, errors: targetErrors } = parseTargets(raw.targets, rootDir, projectFileName, lineOf, [
    'targets',
  ]);
  errors.push(...targetErrors);
  const defaultTarget = String(raw.target ?? 'dev');
  if (!targets[defaultTarget]) {
    errors.push(
      new ShopsmartError('SSA-PROJECT-010', `default target '${defaultTarget}' is not defined`, {
        file: projectFileName,
        line: lineOf(['target']),
        hint: `targets: ${Object.keys(targets).join(', ')}`,
      }),
    );
  }
  throwIfAny(errors);
  const tree = (key: string): Obj => (isObj(raw[key]) ? (raw[key] as Obj) : {});
  const list = (key: string): string[] =>
    Array.isArray(raw[key]) ? (raw[key] as unknown[]).map(String) : raw[key] ? [String(raw[key])] : [];
  return {
    name: String(raw.name ?? 'project'),
    rootDir,
    targetPath: join(rootDir, String(raw['target-path'] ?? 'target')),
    layers,
    vars: tree('vars'),
    targets,
    defaultTarget,
    config: {
      models: tree('models'),
      seeds: tree('seeds'),
      snapshots: tree('snapshots'),
      tests: tree('data_tests'),
    },
    onRunStart: list('on-run-start'),
    onRunEnd: list('on-run-end'),
    isDbtProject: false,
  };
}

async function readDbtProject(rootDir: string, profilesDir?: string): Promise<ProjectDefinition> {
  const { project, errors } = readDbtProjectFile(rootDir);
  throwIfAny(errors);
  const name = project.name ?? 'project';
  const candidates = [
    profilesDir,
    rootDir,
    process.env.DBT_PROFILES_DIR,
    join(process.env.HOME ?? '', '.dbt'),
  ].filter((d): d is string => !!d);
  const profilesFile = candidates.map((d) => join(resolve(d), 'profiles.yml')).find((f) => existsSync(f));
  let targets = defaultTargets(rootDir);
  let defaultTarget = 'dev';
  if (profilesFile) {
    const { yaml, errors: yamlErrors } = readYaml(readFileSync(profilesFile, 'utf8'), profilesFile);
    throwIfAny(yamlErrors);
    const profiles = (yaml?.value ?? {}) as Obj;
    const profileName = project.profile ?? name;
    const profile = profiles[profileName];
    if (!isObj(profile)) {
      throw new ShopsmartError('SSA-PROJECT-011', `profile '${profileName}' is not in ${profilesFile}`, {
        file: profilesFile,
        hint: `profiles found: ${Object.keys(profiles).join(', ') || 'none'}`,
      });
    }
    const parsed = parseTargets(profile.outputs, rootDir, profilesFile, yaml ? yaml.lineOf : () => 1, [
      profileName,
      'outputs',
    ]);
    throwIfAny(parsed.errors);
    targets = parsed.targets;
    defaultTarget = String(profile.target ?? Object.keys(targets)[0] ?? 'dev');
  }
  return {
    name,
    rootDir,
    targetPath: join(rootDir, 'target'),
    layers: [defineLayer({ name, root: rootDir })],
    vars: {},
    targets,
    defaultTarget,
    config: { models: {}, seeds: {}, snapshots: {}, tests: {} },
    onRunStart: [],
    onRunEnd: [],
    isDbtProject: true,
  };
}
