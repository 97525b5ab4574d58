import {
  buildGraph,
  type Graph,
  type GraphNode,
  type ResourceType,
  selectNodes,
} from '@shopsmart/core-runner/graph';
import type { DocsModel } from '../docs-model.js';

/** Resource types drawn in the lineage (tests would triple the graph and hide its shape). */
const drawn = new Set(['model', 'source', 'seed', 'snapshot', 'exposure', 'analysis']);

/** The project as core-runner's graph, so the site selects with exactly the CLI's grammar. */
export function projectGraph(model: DocsModel): Graph {
  const nodes: GraphNode[] = [];
  for (const node of model.nodes.values()) {
    const json = node.json;
    if (!json) continue;
    nodes.push({
      uniqueId: node.id,
      resourceType: node.resourceType as ResourceType,
      name: node.name,
      packageName: node.packageName,
      originalFilePath: node.path,
      fqn: json.fqn ?? [node.packageName, node.name],
      tags: node.tags,
      config: json.config ?? {},
      dependsOn: (json.depends_on?.nodes ?? []).filter((id) => model.nodes.has(id)),
      checksum: json.checksum?.checksum ?? '',
      ...(json.source_name ? { sourceName: json.source_name } : {}),
      ...(json.test_metadata
        ? { testMetadata: { name: json.test_metadata.name, kwargs: json.test_metadata.kwargs } }
        : {}),
      ...(json.attached_node ? { attachedNode: json.attached_node } : {}),
    });
  }
  return buildGraph(nodes).graph;
}

export interface LineageSelection {
  ids: string[];
  edges: [string, string][];
  error?: string;
  warnings: string[];
}

/**
 * The drawn nodes a `--select` / `--exclude` pair picks (empty select: the whole project), and
 * the edges between them. A bad selector comes back as `error`, with the CLI's message.
 *
 * @example
 * selectLineage(graph, '+fct_orders', ''); // → { ids: ['source.staging.raw.orders', …, 'model.marts.fct_orders'], edges: [...] }
 */
export function selectLineage(graph: Graph, select: string, exclude: string): LineageSelection {
  let selected: Set<string>;
  let warnings: string[] = [];
  try {
    const result = selectNodes(graph, {
      select: select.trim() ? [select] : [],
      exclude: exclude.trim() ? [exclude] : [],
      indirectSelection: 'empty',
    });
    selected = result.selected;
    warnings = result.warnings;
  } catch (error) {
    return { ids: [], edges: [], warnings, error: error instanceof Error ? error.message : String(error) };
  }
  const ids = [...selected].filter((id) => drawn.has(graph.nodes.get(id)?.resourceType ?? ''));
  const keep = new Set(ids);
  const edges: [string, string][] = [];
  for (const id of ids)
    for (const parent of graph.parents.get(id) ?? []) if (keep.has(parent)) edges.push([parent, id]);
  return { ids, edges, warnings };
}
