import { manifestArtifact } from '../artifacts/artifact-writer.js';
import type { ParsedProject } from '../project/manifest-builder.js';
import type { ProjectNode } from '../project/project-types.js';

export type ListOutput = 'selector' | 'name' | 'json' | 'path';

/** The keys dbt's `ls --output json` prints when no `--output-keys` are given (task/list.py). */
export const listJsonKeys = [
  'alias',
  'name',
  'package_name',
  'depends_on',
  'tags',
  'config',
  'resource_type',
  'source_name',
  'original_file_path',
  'unique_id',
] as const;

/**
 * dbt's `ls` lines for the given nodes (docs.getdbt.com/reference/commands/list): `selector` (the
 * default) is the fqn (`source:pkg.source.table` for sources), `name` the search name (`model`,
 * `source.table`), `path` the file, `json` the manifest node limited to dbt's keys or to
 * `outputKeys`.
 *
 * @example
 * listLines(project, ['model.shop.orders'], { output: 'name' }); // → ['orders']
 */
export function listLines(
  project: ParsedProject,
  uniqueIds: readonly string[],
  options: { output: ListOutput; outputKeys?: readonly string[] },
): string[] {
  const { manifest } = project;
  const nodeOf = (id: string): ProjectNode | undefined =>
    manifest.nodes[id] ?? manifest.sources[id] ?? manifest.exposures[id];
  const nodes = uniqueIds.flatMap((id) => nodeOf(id) ?? []);
  if (options.output === 'json') {
    const artifact = manifestArtifact(manifest) as Record<string, Record<string, Record<string, unknown>>>;
    const keys = new Set<string>(options.outputKeys?.length ? options.outputKeys : listJsonKeys);
    return nodes.map((node) => {
      const full =
        artifact.nodes?.[node.uniqueId] ??
        artifact.sources?.[node.uniqueId] ??
        artifact.exposures?.[node.uniqueId] ??
        {};
      // dbt's node dict has every key (None when unset); an ephemeral model's alias is its name.
      const dict: Record<string, unknown> = { ...full, alias: full.alias ?? node.config.alias ?? node.name };
      return JSON.stringify(Object.fromEntries(Object.entries(dict).filter(([k]) => keys.has(k))));
    });
  }
  return nodes.map((node) => {
    if (options.output === 'path') return node.originalFilePath;
    if (options.output === 'name')
      return node.resourceType === 'source' ? `${node.sourceName}.${node.name}` : node.name;
    if (node.resourceType === 'source') return `source:${node.packageName}.${node.sourceName}.${node.name}`;
    if (node.resourceType === 'exposure') return `exposure:${node.packageName}.${node.name}`;
    if (node.resourceType === 'unit_test') return `unit_test:${node.packageName}.${node.name}`;
    return node.fqn.join('.');
  });
}
