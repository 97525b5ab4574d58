import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { ShopsmartError } from '../errors.js';
import type { ConfigTree, ProjectRenderContext } from './dbt-project-file.js';
import type { ProjectDefinition } from './project-definition.js';
import { readYaml } from './yaml-reader.js';
import { isLateRenderedProjectKey, renderYamlValue } from './yaml-value-renderer.js';

/** Where each root config tree sits in shopsmart.yml. */
const sections = { models: 'models', seeds: 'seeds', snapshots: 'snapshots', tests: 'data_tests' } as const;

/**
 * The definition with its root config trees (shopsmart.yml's `models:`, `seeds:`, …) rendered
 * for this run's target, as dbt renders dbt_project.yml configs; hooks stay text.
 */
export function renderRootConfig(
  definition: ProjectDefinition,
  render: ProjectRenderContext,
): { definition: ProjectDefinition; errors: ShopsmartError[] } {
  const errors: ShopsmartError[] = [];
  let lineOf: ((path: (string | number)[]) => number) | undefined;
  const file = definition.configFile;
  const lines = (path: (string | number)[]): number => {
    // Lines are only wanted for an error: read the file again then, not on every run.
    if (!lineOf) {
      const yaml = file && existsSync(file) ? readYaml(readFileSync(file, 'utf8'), file).yaml : undefined;
      lineOf = yaml ? yaml.lineOf : () => 1;
    }
    return lineOf(path);
  };
  const config = { ...definition.config };
  for (const [key, section] of Object.entries(sections) as [keyof typeof sections, string][]) {
    const rendered = renderYamlValue(
      definition.config[key],
      [section],
      {
        file: file ? relative(definition.rootDir, file) || file : 'project',
        lineOf: lines,
        place: 'project',
        cliVars: render.cliVars,
        target: render.target,
      },
      isLateRenderedProjectKey,
    );
    config[key] = rendered.value as ConfigTree;
    errors.push(...rendered.errors);
  }
  return { definition: { ...definition, config }, errors };
}
