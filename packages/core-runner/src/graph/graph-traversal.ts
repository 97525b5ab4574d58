import type { Graph } from './graph-types.js';

/**
 * Breadth-first walk from `start` along `edges`, up to `depth` hops (unlimited when undefined).
 * The start nodes are included only when reached again through an edge. O(V + E).
 */
function walk(
  edges: ReadonlyMap<string, readonly string[]>,
  start: Iterable<string>,
  depth: number | undefined,
): Set<string> {
  const reached = new Set<string>();
  let frontier = [...start];
  // Depth-limited walks stop expanding a node once seen, so a node reached at its shortest
  // distance is the one expanded: BFS levels give exactly dbt's "within N generations".
  const expanded = new Set<string>(frontier);
  for (let level = 0; frontier.length > 0 && (depth === undefined || level < depth); level++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const neighbour of edges.get(id) ?? []) {
        reached.add(neighbour);
        if (!expanded.has(neighbour)) {
          expanded.add(neighbour);
          next.push(neighbour);
        }
      }
    }
    frontier = next;
  }
  return reached;
}

/**
 * Everything upstream of `start`, within `depth` generations when given.
 *
 * @example
 * ancestorsOf(graph, ['model.marts.dim_customers'], 1); // the direct parents only
 */
export function ancestorsOf(graph: Graph, start: Iterable<string>, depth?: number): Set<string> {
  return walk(graph.parents, start, depth);
}

/**
 * Everything downstream of `start`, within `depth` generations when given.
 *
 * @example
 * descendantsOf(graph, ['model.staging.stg_shop__orders']); // all models and tests fed by it
 */
export function descendantsOf(graph: Graph, start: Iterable<string>, depth?: number): Set<string> {
  return walk(graph.children, start, depth);
}

/**
 * dbt's `@`: the start nodes, all their descendants, and every ancestor of those — what has to
 * exist for the descendants to build.
 *
 * @example
 * childrensParentsOf(graph, ['model.staging.stg_shop__orders']);
 */
export function childrensParentsOf(graph: Graph, start: Iterable<string>): Set<string> {
  const seeds = [...start];
  const down = descendantsOf(graph, seeds);
  for (const id of seeds) down.add(id);
  const result = ancestorsOf(graph, down);
  for (const id of down) result.add(id);
  return result;
}
