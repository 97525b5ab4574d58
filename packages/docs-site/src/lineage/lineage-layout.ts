import dagre from '@dagrejs/dagre';

export interface PlacedNode {
  id: string;
  /** Centre. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LineageLayout {
  nodes: Map<string, PlacedNode>;
  edges: { from: string; to: string; points: { x: number; y: number }[] }[];
  width: number;
  height: number;
}

export const NODE_HEIGHT = 34;

/**
 * Left-to-right layered layout (dagre): sources and seeds on the left, exposures on the right,
 * each node after everything it depends on.
 */
export function layoutLineage(
  ids: readonly string[],
  edges: readonly [string, string][],
  label: (id: string) => string,
): LineageLayout {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 70, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const id of ids)
    graph.setNode(id, { width: Math.min(260, 40 + label(id).length * 7), height: NODE_HEIGHT });
  for (const [from, to] of edges) graph.setEdge(from, to);
  dagre.layout(graph);
  const nodes = new Map<string, PlacedNode>();
  for (const id of ids) {
    const n = graph.node(id);
    nodes.set(id, { id, x: n.x, y: n.y, width: n.width, height: n.height });
  }
  const placedEdges = edges.map(([from, to]) => ({
    from,
    to,
    points: (graph.edge(from, to)?.points ?? []) as { x: number; y: number }[],
  }));
  const size = graph.graph();
  return { nodes, edges: placedEdges, width: size.width ?? 0, height: size.height ?? 0 };
}
