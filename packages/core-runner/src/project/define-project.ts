import { join, resolve } from 'node:path';
import type { Layer } from './define-layer.js';
import { defaultTargets, type ProjectDefinition, type TargetConfig } from './project-definition.js';

export interface DefineProjectOptions {
  name?: string;
  /** Folder for target/ artifacts and relative paths; default the current directory. */
  rootDir?: string;
  layers: Layer[];
  /** The DuckDB file (or ':memory:') of the single `dev` target. */
  warehousePath: string;
  threads?: number;
  schema?: string;
  vars?: Record<string, unknown>;
}

/**
 * A project built in code rather than read from shopsmart.yml — what layer test suites and
 * embedding applications use.
 *
 * @example
 * const definition = defineProject({ layers: [martsLayer], warehousePath: '/tmp/wh.duckdb' });
 * const project = buildManifest({ definition, target: definition.targets.dev });
 */
export function defineProject(options: DefineProjectOptions): ProjectDefinition {
  const rootDir = resolve(options.rootDir ?? process.cwd());
  const dev: TargetConfig = {
    ...(defaultTargets(rootDir).dev as TargetConfig),
    path: options.warehousePath,
    threads: options.threads ?? 4,
    schema: options.schema ?? 'main',
  };
  return {
    name: options.name ?? 'project',
    rootDir,
    targetPath: join(rootDir, 'target'),
    layers: options.layers,
    vars: options.vars ?? {},
    targets: { dev },
    defaultTarget: 'dev',
    config: { models: {}, seeds: {}, snapshots: {}, tests: {} },
    onRunStart: [],
    onRunEnd: [],
    isDbtProject: false,
  };
}
