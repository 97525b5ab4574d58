import { findCycles } from './cycle-finder.js';
import { didYouMean } from './did-you-mean.js';
import {
  type GraphBuildError,
  GraphCycleError,
  GraphDuplicateNodeError,
  GraphMissingNodeError,
} from './graph-errors.js';
import type { Graph, GraphNode } from './graph-types.js';
import { childRows, kahnOrder } from './topo-sorter.js';

export interface GraphBuildResult {
  graph: Graph;
  /** Every problem found, collected rather than thrown; the graph is still built around them. */
  errors: GraphBuildError[];
}

const isTest = (node: GraphNode): boolean =>
  node.resourceType === 'test' || node.resourceType === 'unit_test';

const byUniqueId = (a: GraphNode, b: GraphNode) =>
  a.uniqueId < b.uniqueId ? -1 : a.uniqueId > b.uniqueId ? 1 : 0;

/** Enabled nodes in id order with their positions, disabled ones aside, duplicates reported. */
function partition(nodes: readonly GraphNode[], errors: GraphBuildError[]) {
  let list: GraphNode[] = [];
  let index = new Map<string, number>();
  for (const node of [...nodes].sort(byUniqueId)) {
    const kept = index.get(node.uniqueId);
    if (kept !== undefined) errors.push(new GraphDuplicateNodeError(list[kept] as GraphNode, node));
    else index.set(node.uniqueId, list.push(node) - 1);
  }
  const disabled = new Map<string, GraphNode>();
  for (const node of list) if (node.config.enabled === false) disabled.set(node.uniqueId, node);
  if (disabled.size === 0) return { list, index, disabled };
  // A test of a disabled model is silently disabled too (dbt does the same), not an error.
  for (const node of list) {
    if (isTest(node) && !disabled.has(node.uniqueId) && node.dependsOn.some((id) => disabled.has(id))) {
      disabled.set(node.uniqueId, node);
    }
  }
  list = list.filter((node) => !disabled.has(node.uniqueId));
  index = new Map(list.map((node, i) => [node.uniqueId, i]));
  return { list, index, disabled };
}

/**
 * Builds the dependency graph of the enabled nodes. Problems are collected: a dependency on an id
 * that does not exist (with a did-you-mean) or that is disabled, duplicate ids, and every cycle as
 * its full chain. Disabled nodes are left out, and so are tests of disabled nodes, as in dbt.
 * O(V + E) (plus the id sort) when there are no errors.
 *
 * @example
 * const { graph, errors } = buildGraph(nodes);
 * graph.parents.get('model.marts.dim_customers'); // ['model.staging.stg_shop__customers']
 * errors.map((e) => e.message);
 * // ["dependency cycle: model.a.x > model.a.y > model.a.x"]
 */
export function buildGraph(nodes: readonly GraphNode[]): GraphBuildResult {
  const errors: GraphBuildError[] = [];
  const { list, index, disabled } = partition(nodes, errors);
  const size = list.length;
  const ids = list.map((node) => node.uniqueId);

  // Dense indices: one hash lookup per edge, and the sort below runs on typed arrays.
  const parents = new Map<string, string[]>();
  const childLists: string[][] = list.map(() => []);
  const parentCount = new Int32Array(size);
  const edgeParents: number[] = [];
  const edgeChildren: number[] = [];
  // addedBy[j] === i + 1 once node i has recorded parent j: O(1) de-duplication of dependsOn.
  const addedBy = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const node = list[i] as GraphNode;
    const own: string[] = [];
    for (const dep of node.dependsOn) {
      const j = index.get(dep);
      if (j !== undefined) {
        if (addedBy[j] === i + 1) continue;
        addedBy[j] = i + 1;
        own.push(dep);
        (childLists[j] as string[]).push(node.uniqueId);
        edgeParents.push(j);
        edgeChildren.push(i);
      } else if (disabled.has(dep)) {
        errors.push(new GraphMissingNodeError(node, dep, [], true));
      } else {
        errors.push(new GraphMissingNodeError(node, dep, didYouMean(dep, ids)));
      }
    }
    parents.set(node.uniqueId, own);
    parentCount[i] = own.length;
  }

  const nodesById = new Map<string, GraphNode>();
  const children = new Map<string, string[]>();
  for (let i = 0; i < size; i++) {
    nodesById.set(ids[i] as string, list[i] as GraphNode);
    children.set(ids[i] as string, childLists[i] as string[]);
  }
  const { order, acyclic } = kahnOrder(parentCount, childRows(size, edgeParents, edgeChildren));
  if (!acyclic) {
    for (const cycle of findCycles(ids, children)) {
      errors.push(new GraphCycleError(cycle, nodesById.get(cycle[0] as string)));
    }
  }
  const graph: Graph = {
    nodes: nodesById,
    parents,
    children,
    order: Array.from(order, (i) => ids[i] as string),
    disabled,
  };
  return { graph, errors };
}
