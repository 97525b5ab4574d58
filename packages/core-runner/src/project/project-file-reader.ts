import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ShopsmartError, throwIfAny } from '../errors.js';
import { packageLayers } from '../packages/package-layers.js';
import { readDbtProjectFile } from './dbt-project-file.js';
import { defineLayer, type Layer } from './define-layer.js';
import { findProfilesFile } from './profiles-file-finder.js';
import type { ProjectDefinition } from './project-definition.js';
import { shopsmartProjectKeys, unknownKeys } from './project-key-check.js';
import { ProjectYamlMemo } from './project-yaml-memo.js';
import { type ParsedTargets, parseTargets } from './target-parser.js';
import { readYaml, withYamlReads } from './yaml-reader.js';
import { isLateRenderedProjectKey, renderYamlValue } from './yaml-value-renderer.js';

export const projectFileName = 'shopsmart.yml';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ReadProjectOptions {
  /** `--vars`: the only vars profiles.yml, shopsmart.yml and dbt_project.yml can read. */
  cliVars?: Record<string, unknown>;
  /** The target the caller will use (`--target`); its problems are thrown. Default: the file's default. */
  target?: string;
  /**
   * Answer the project files' YAML from the memo in `<project>/target` when their texts are
   * unchanged, and refresh it (dbt's partial parsing; the CLI's default).
   */
  partialParse?: boolean;
}

/**
 * Finds and reads the project in `projectDir`: a `shopsmart.yml` composing layer packages, or a
 * plain dbt project (`dbt_project.yml`, with `profiles.yml` from `profilesDir`, the project dir or ~/.dbt).
 * Connection settings are rendered as dbt renders profiles (`env_var()`, `var()` of `--vars`); only
 * the chosen target has to render, as in dbt, so a prod password need not be set to run dev.
 */
export async function readProject(
  projectDir: string,
  profilesDir?: string,
  options: ReadProjectOptions = {},
): Promise<ProjectDefinition> {
  const root = resolve(projectDir);
  if (!options.partialParse) return readProjectIn(root, profilesDir, options);
  const memo = ProjectYamlMemo.open(join(root, 'target'));
  const definition = await withYamlReads(memo.read, () => readProjectIn(root, profilesDir, options));
  memo.save(definition.targetPath);
  return definition;
}

async function readProjectIn(
  root: string,
  profilesDir: string | undefined,
  options: ReadProjectOptions,
): Promise<ProjectDefinition> {
  const definition = existsSync(join(root, projectFileName))
    ? await readShopsmartProject(root, options)
    : existsSync(join(root, 'dbt_project.yml'))
      ? await readDbtProject(root, profilesDir, options)
      : undefined;
  if (!definition)
    throw new ShopsmartError('SSA-PROJECT-001', `no ${projectFileName} or dbt_project.yml in ${root}`, {
      hint: 'run from the project folder or pass --project-dir',
    });
  throwIfAny(definition.targetProblems?.[options.target ?? definition.defaultTarget] ?? []);
  return definition;
}

/** The default target must exist, unless what is wrong with it is already reported. */
function checkDefaultTarget(
  parsed: ParsedTargets,
  name: string,
  file: string,
  line: number,
): ShopsmartError[] {
  if (parsed.targets[name] || (parsed.problems[name]?.length ?? 0) > 0) return [];
  return [
    new ShopsmartError('SSA-PROJECT-010', `default target '${name}' is not defined`, {
      file,
      line,
      hint: `targets: ${Object.keys(parsed.targets).join(', ')}`,
    }),
  ];
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

/** Keys of shopsmart.yml rendered later: connection targets (per target) and config trees (per run). */
const laterShopsmartKeys = new Set(['targets', 'models', 'seeds', 'snapshots', 'tests', 'data_tests']);

async function readShopsmartProject(
  rootDir: string,
  options: ReadProjectOptions,
): Promise<ProjectDefinition> {
  const file = join(rootDir, projectFileName);
  const { yaml, errors } = readYaml(readFileSync(file, 'utf8'), projectFileName);
  throwIfAny(errors);
  const unrendered = (yaml?.value ?? {}) as Obj;
  const lineOf = yaml ? yaml.lineOf : () => 1;
  const cliVars = options.cliVars ?? {};
  const rendered = renderYamlValue(
    unrendered,
    [],
    { file: projectFileName, lineOf, place: 'project', cliVars },
    (path) => isLateRenderedProjectKey(path) || laterShopsmartKeys.has(String(path[0])),
  );
  errors.push(...rendered.errors);
  const raw = rendered.value as Obj;
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
  const parsed = parseTargets({
    raw: raw.targets,
    rootDir,
    file: projectFileName,
    lineOf,
    path: ['targets'],
    cliVars,
  });
  errors.push(...parsed.errors);
  const { targets } = parsed;
  const defaultTarget = String(raw.target ?? 'dev');
  errors.push(...checkDefaultTarget(parsed, defaultTarget, projectFileName, lineOf(['target'])));
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
    targetProblems: parsed.problems,
    defaultTarget,
    config: {
      models: tree('models'),
      seeds: tree('seeds'),
      snapshots: tree('snapshots'),
      tests: { ...tree('tests'), ...tree('data_tests') },
    },
    configFile: file,
    onRunStart: list('on-run-start'),
    onRunEnd: list('on-run-end'),
    isDbtProject: false,
    warnings: unknownKeys(unrendered, shopsmartProjectKeys, projectFileName, lineOf),
  };
}

async function readDbtProject(
  rootDir: string,
  profilesDir: string | undefined,
  options: ReadProjectOptions,
): Promise<ProjectDefinition> {
  const cliVars = options.cliVars ?? {};
  const { project, errors, warnings } = readDbtProjectFile(rootDir, { cliVars });
  throwIfAny(errors);
  const name = project.name ?? 'project';
  const profilesFile = findProfilesFile(rootDir, profilesDir, project.profile ?? name);
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
  const lineOf = yaml ? yaml.lineOf : () => 1;
  const parsed = parseTargets({
    raw: profile.outputs,
    rootDir,
    file: profilesFile,
    lineOf,
    path: [profileName, 'outputs'],
    cliVars,
  });
  // dbt renders the profile's `target:` too (`"{{ env_var('DBT_TARGET', 'dev') }}"`).
  const targetName = renderYamlValue(profile.target, [profileName, 'target'], {
    file: profilesFile,
    lineOf,
    place: 'connection',
    cliVars,
  });
  throwIfAny([...parsed.errors, ...targetName.errors]);
  const targets = parsed.targets;
  const targetProblems = parsed.problems;
  const defaultTarget = String(targetName.value ?? Object.keys(targets)[0] ?? 'dev');
  throwIfAny(checkDefaultTarget(parsed, defaultTarget, profilesFile, lineOf([profileName, 'target'])));
  // Installed dbt packages (dbt_packages/) are layers the root project depends on; the root's own
  // vars and config trees apply to them too, as a root dbt_project.yml does to its packages.
  const packages = packageLayers(rootDir, project);
  const forPackages = (tree: Record<string, unknown>) =>
    packages.length === 0 ? {} : Object.fromEntries(Object.entries(tree).filter(([key]) => key !== name));
  return {
    name,
    rootDir,
    targetPath: join(rootDir, 'target'),
    layers: [defineLayer({ name, root: rootDir, dependencies: packages })],
    vars: packages.length === 0 ? {} : project.vars,
    targets,
    targetProblems,
    defaultTarget,
    config: {
      models: forPackages(project.models),
      seeds: forPackages(project.seeds),
      snapshots: forPackages(project.snapshots),
      tests: forPackages(project.tests),
    },
    ...(packages.length > 0 && project.file ? { configFile: project.file } : {}),
    onRunStart: [],
    onRunEnd: [],
    isDbtProject: true,
    warnings,
  };
}
