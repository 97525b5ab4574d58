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

/** Above this many nodes dagre's crossing minimisation takes seconds (6–8 s at 1,000 nodes). */
export const DAGRE_LIMIT = 400;

/**
 * The layout for any graph: dagre up to DAGRE_LIMIT nodes; above it, `layeredLayout`.
 */
export function layoutAny(
  ids: readonly string[],
  edges: readonly [string, string][],
  label: (id: string) => string,
): LineageLayout {
  return ids.length <= DAGRE_LIMIT ? layoutLineage(ids, edges, label) : layeredLayout(ids, edges, label);
}

/**
 * A linear-time layered layout for big graphs, the same picture dagre draws in outline: each
 * node's column is its longest path from a root (so everything sits right of what it reads),
 * rows ordered by a few barycentre sweeps to untangle edges, columns as wide as their widest node.
 */
export function layeredLayout(
  ids: readonly string[],
  edges: readonly [string, string][],
  label: (id: string) => string,
): LineageLayout {
  const nodesep = 14;
  const ranksep = 70;
  const margin = 20;
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  const children = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [from, to] of edges) {
    children.get(from)?.push(to);
    parents.get(to)?.push(from);
  }
  // Longest path from the roots, in Kahn order (the graph is acyclic; a leftover node gets rank 0).
  const rank = new Map<string, number>();
  const waiting = new Map(ids.map((id) => [id, parents.get(id)?.length ?? 0]));
  const queue = ids.filter((id) => waiting.get(id) === 0);
  for (const id of queue) rank.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    for (const child of children.get(id) ?? []) {
      rank.set(child, Math.max(rank.get(child) ?? 0, (rank.get(id) ?? 0) + 1));
      const left = (waiting.get(child) ?? 1) - 1;
      waiting.set(child, left);
      if (left === 0) queue.push(child);
    }
  }
  const columns: string[][] = [];
  for (const id of ids) {
    const r = rank.get(id) ?? 0;
    const column = columns[r] ?? [];
    column.push(id);
    columns[r] = column;
  }
  const position = new Map<string, number>();
  const index = () => {
    for (const column of columns) for (const [i, id] of (column ?? []).entries()) position.set(id, i);
  };
  index();
  const barycentre = (id: string, neighbours: Map<string, string[]>) => {
    const around = neighbours.get(id) ?? [];
    if (around.length === 0) return position.get(id) ?? 0;
    return around.reduce((sum, n) => sum + (position.get(n) ?? 0), 0) / around.length;
  };
  for (let sweep = 0; sweep < 8; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? columns.keys() : [...columns.keys()].reverse();
    for (const r of order) {
      const column = columns[r];
      if (!column) continue;
      const score = new Map(column.map((id) => [id, barycentre(id, down ? parents : children)]));
      column.sort((a, b) => (score.get(a) ?? 0) - (score.get(b) ?? 0));
      for (const [i, id] of column.entries()) position.set(id, i);
    }
  }
  const width = (id: string) => Math.min(260, 40 + label(id).length * 7);
  const tallest = Math.max(...columns.map((c) => c?.length ?? 0));
  const nodes = new Map<string, PlacedNode>();
  let x = margin;
  for (const column of columns) {
    if (!column) continue;
    const columnWidth = Math.max(...column.map(width));
    const offset = ((tallest - column.length) * (NODE_HEIGHT + nodesep)) / 2;
    column.forEach((id, i) => {
      nodes.set(id, {
        id,
        x: x + columnWidth / 2,
        y: margin + offset + i * (NODE_HEIGHT + nodesep) + NODE_HEIGHT / 2,
        width: width(id),
        height: NODE_HEIGHT,
      });
    });
    x += columnWidth + ranksep;
  }
  return {
    nodes,
    edges: edges.map(([from, to]) => ({ from, to, points: [] })),
    width: x - ranksep + margin,
    height: margin * 2 + tallest * (NODE_HEIGHT + nodesep),
  };
}
