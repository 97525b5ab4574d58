import { join } from 'node:path';
import type { ParsedProject } from '../project/manifest-builder.js';
import type { ProjectNode, ResourceType } from '../project/project-types.js';

/**
 * The layer a command line's own SQL belongs to: the root project's (a dbt project's name), else
 * the top layer, which sees every other one.
 */
export function rootLayer(project: ParsedProject): string {
  const names = project.layers.map((loaded) => loaded.layer.name);
  if (names.includes(project.definition.name)) return project.definition.name;
  return names[names.length - 1] ?? project.definition.name;
}

/**
 * A node for SQL that is not in the project (`show --inline`, a `run-operation` call), in the root
 * layer, so refs, sources and macros resolve as from one of its models.
 *
 * @example
 * inlineNode(project, 'inline_query', "select * from {{ ref('x') }}", 'model');
 */
export function inlineNode(
  project: ParsedProject,
  name: string,
  rawCode: string,
  resourceType: ResourceType,
): ProjectNode {
  const packageName = rootLayer(project);
  return {
    uniqueId: `${resourceType === 'operation' ? 'operation' : 'sql_operation'}.${packageName}.${name}`,
    resourceType,
    name,
    packageName,
    originalFilePath: `<${name}>`,
    fqn: [packageName, name],
    tags: [],
    config: { enabled: true, materialized: 'view', tags: [], pre_hook: [], post_hook: [] },
    dependsOn: [],
    dependsOnMacros: [],
    checksum: '',
    rawCode,
    language: 'sql',
    description: '',
    columns: {},
    meta: {},
    docs: { show: false },
    origin: { absolutePath: join(project.definition.rootDir, `<${name}>`) },
    refs: [],
    sources: [],
  };
}
