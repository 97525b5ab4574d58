import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShopsmartError } from '../errors.js';
import { defaultResourcePaths, type ResourcePaths } from './layer-reader.js';
import { dbtProjectKeys, unknownKeys } from './project-key-check.js';
import { readYaml } from './yaml-reader.js';
import { isLateRenderedProjectKey, renderYamlValue } from './yaml-value-renderer.js';

/** A nested `+config` tree from dbt_project.yml (`models:`, `seeds:`, …). */
export type ConfigTree = Record<string, unknown>;

/** What a layer's (or a plain dbt project's) dbt_project.yml says. */
export interface DbtProjectFile {
  name?: string;
  profile?: string;
  paths: ResourcePaths;
  /** Vars: global ones, plus `{ <package>: { ... } }` scoped ones, as dbt allows. */
  vars: Record<string, unknown>;
  models: ConfigTree;
  seeds: ConfigTree;
  snapshots: ConfigTree;
  tests: ConfigTree;
  onRunStart: string[];
  onRunEnd: string[];
  /** `packages-install-path` as written (dbt's default `dbt_packages` when absent). */
  packagesInstallPath?: string;
  /** `dispatch:` — per macro namespace, the packages `adapter.dispatch` searches, in order. */
  dispatch?: { macro_namespace: string; search_order: string[] }[];
  file?: string;
}

const emptyProject = (): DbtProjectFile => ({
  paths: defaultResourcePaths,
  vars: {},
  models: {},
  seeds: {},
  snapshots: {},
  tests: {},
  onRunStart: [],
  onRunEnd: [],
});

/** What dbt_project.yml's Jinja may read when the file is loaded. */
export interface ProjectRenderContext {
  /** `--vars` (the project's own vars are not known while the file itself is read). */
  cliVars: Record<string, unknown>;
  /**
   * The chosen target, as `target.*`. Without it (the project is read before a target is chosen)
   * the config trees (`models:`, `seeds:`, …) stay unrendered.
   */
  target?: Record<string, unknown>;
}

const configTrees = new Set(['models', 'seeds', 'snapshots', 'tests', 'data_tests']);

/**
 * Reads `<root>/dbt_project.yml` when present; a layer may omit it. Values are rendered as dbt
 * renders the file: `env_var()` (no secrets), `var()` of `--vars`, `target` in config trees;
 * vars and hooks stay text, rendered where they are used.
 */
export function readDbtProjectFile(
  root: string,
  render: ProjectRenderContext = { cliVars: {} },
): { project: DbtProjectFile; errors: ShopsmartError[]; warnings: ShopsmartError[] } {
  const file = join(root, 'dbt_project.yml');
  if (!existsSync(file)) return { project: emptyProject(), errors: [], warnings: [] };
  const { yaml, errors } = readYaml(readFileSync(file, 'utf8'), file);
  if (!yaml) return { project: emptyProject(), errors, warnings: [] };
  const rendered = renderYamlValue(
    yaml.value ?? {},
    [],
    { file, lineOf: yaml.lineOf, place: 'project', cliVars: render.cliVars, target: render.target },
    (path) => isLateRenderedProjectKey(path) || (!render.target && configTrees.has(String(path[0]))),
  );
  errors.push(...rendered.errors);
  const raw = rendered.value as Record<string, unknown>;
  const list = (key: string): string[] | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value.map(String) : [String(value)];
  };
  const object = (key: string): ConfigTree => {
    const value = raw[key];
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      errors.push(
        new ShopsmartError('SSA-PROJECT-002', `'${key}' must be a mapping`, {
          file,
          line: yaml.lineOf([key]),
        }),
      );
      return {};
    }
    return value as ConfigTree;
  };
  return {
    project: {
      name: typeof raw.name === 'string' ? raw.name : undefined,
      profile: typeof raw.profile === 'string' ? raw.profile : undefined,
      paths: {
        model: list('model-paths') ?? defaultResourcePaths.model,
        macro: list('macro-paths') ?? defaultResourcePaths.macro,
        seed: list('seed-paths') ?? defaultResourcePaths.seed,
        snapshot: list('snapshot-paths') ?? defaultResourcePaths.snapshot,
        test: list('test-paths') ?? defaultResourcePaths.test,
        analysis: list('analysis-paths') ?? defaultResourcePaths.analysis,
      },
      vars: object('vars'),
      models: object('models'),
      seeds: object('seeds'),
      snapshots: object('snapshots'),
      tests: { ...object('tests'), ...object('data_tests') },
      onRunStart: list('on-run-start') ?? [],
      onRunEnd: list('on-run-end') ?? [],
      ...(typeof raw['packages-install-path'] === 'string'
        ? { packagesInstallPath: raw['packages-install-path'] }
        : {}),
      ...dispatchConfig(raw.dispatch, file, yaml.lineOf, errors),
      file,
    },
    errors,
    warnings: unknownKeys(yaml.value, dbtProjectKeys, file, yaml.lineOf),
  };
}

/** `dispatch: [{macro_namespace, search_order: [...]}]`, checked as dbt checks it. */
function dispatchConfig(
  value: unknown,
  file: string,
  lineOf: (path: (string | number)[]) => number | undefined,
  errors: ShopsmartError[],
): { dispatch?: { macro_namespace: string; search_order: string[] }[] } {
  if (value === undefined || value === null) return {};
  const entries = Array.isArray(value) ? value : [value];
  const dispatch: { macro_namespace: string; search_order: string[] }[] = [];
  entries.forEach((entry, index) => {
    const item = entry as Record<string, unknown> | null;
    const namespace = item?.macro_namespace;
    const order = item?.search_order;
    if (
      typeof namespace !== 'string' ||
      !Array.isArray(order) ||
      !order.every((p) => typeof p === 'string')
    ) {
      errors.push(
        new ShopsmartError(
          'SSA-PROJECT-002',
          "each 'dispatch' entry needs macro_namespace (a package name) and search_order (a list of package names)",
          { file, line: lineOf(['dispatch', index]) ?? lineOf(['dispatch']) },
        ),
      );
      return;
    }
    dispatch.push({ macro_namespace: namespace, search_order: order as string[] });
  });
  return { dispatch };
}
