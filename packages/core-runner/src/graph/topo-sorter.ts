import type { Graph } from './graph-types.js';

/**
 * Children of every node in compressed rows: the children of node i are
 * `list[start[i]] … list[start[i + 1] - 1]`. One flat array instead of thousands of small ones.
 */
export interface ChildRows {
  start: Int32Array;
  list: Int32Array;
}

/** Compresses (parent, child) index pairs into child rows for `size` nodes. */
export function childRows(
  size: number,
  edgeParents: ArrayLike<number>,
  edgeChildren: ArrayLike<number>,
): ChildRows {
  const start = new Int32Array(size + 1);
  for (let e = 0; e < edgeParents.length; e++) {
    const row = (edgeParents[e] as number) + 1;
    start[row] = (start[row] as number) + 1;
  }
  for (let i = 0; i < size; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  const fill = start.slice(0, size);
  const list = new Int32Array(edgeParents.length);
  for (let e = 0; e < edgeParents.length; e++) {
    const parent = edgeParents[e] as number;
    list[fill[parent] as number] = edgeChildren[e] as number;
    fill[parent] = (fill[parent] as number) + 1;
  }
  return { start, list };
}

/**
 * Kahn's algorithm over dense indices. Returns indices, parents first, ties in index order; nodes
 * on or below a cycle never reach zero and are appended in index order, so every node is listed
 * once. O(V + E) without any hashing.
 */
export function kahnOrder(
  parentCount: ArrayLike<number>,
  children: ChildRows,
): { order: Int32Array; acyclic: boolean } {
  const size = parentCount.length;
  const waitingOn = Int32Array.from(parentCount);
  const order = new Int32Array(size);
  let tail = 0;
  for (let i = 0; i < size; i++) if (waitingOn[i] === 0) order[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const node = order[head] as number;
    for (let c = children.start[node] as number; c < (children.start[node + 1] as number); c++) {
      const child = children.list[c] as number;
      waitingOn[child] = (waitingOn[child] as number) - 1;
      if (waitingOn[child] === 0) order[tail++] = child;
    }
  }
  const acyclic = tail === size;
  if (!acyclic) for (let i = 0; i < size; i++) if ((waitingOn[i] as number) > 0) order[tail++] = i;
  return { order, acyclic };
}

/**
 * Topological order of ids given as adjacency maps: parents before children, ties in the order of
 * `ids`; nodes on or below a cycle come last (the cycle itself is reported by the cycle finder).
 *
 * @example
 * topologicalOrder(['b', 'a'], new Map([['b', ['a']]]), new Map([['a', ['b']]]));
 * // { order: ['a', 'b'], acyclic: true }
 */
export function topologicalOrder(
  ids: readonly string[],
  parents: ReadonlyMap<string, readonly string[]>,
  children: ReadonlyMap<string, readonly string[]>,
): { order: string[]; acyclic: boolean } {
  const index = new Map(ids.map((id, i) => [id, i]));
  const parentCount = ids.map((id) => parents.get(id)?.length ?? 0);
  const edgeParents: number[] = [];
  const edgeChildren: number[] = [];
  ids.forEach((id, i) => {
    for (const child of children.get(id) ?? []) {
      edgeParents.push(i);
      edgeChildren.push(index.get(child) as number);
    }
  });
  const { order, acyclic } = kahnOrder(parentCount, childRows(ids.length, edgeParents, edgeChildren));
  return { order: Array.from(order, (i) => ids[i] as string), acyclic };
}

/**
 * The selected nodes grouped into batches that can each run in parallel once the batches before
 * them are done. Unselected nodes in between are not run, but still order their neighbours: if
 * `a → b → c` and only `a` and `c` are selected, `c` comes a batch after `a`. O(V + E).
 *
 * @example
 * executionBatches(graph, new Set(['model.a.x', 'model.a.y', 'model.a.z']));
 * // [['model.a.x'], ['model.a.y', 'model.a.z']]   (y and z both depend on x)
 */
export function executionBatches(graph: Graph, selected?: ReadonlySet<string>): string[][] {
  // readyAt[id]: the first batch in which everything upstream of (and including) id is done.
  const readyAt = new Map<string, number>();
  const batches: string[][] = [];
  for (const id of graph.order) {
    let start = 0;
    for (const parent of graph.parents.get(id) ?? []) start = Math.max(start, readyAt.get(parent) ?? 0);
    if (selected && !selected.has(id)) {
      readyAt.set(id, start);
      continue;
    }
    const batch = batches[start];
    if (batch) batch.push(id);
    else batches[start] = [id];
    readyAt.set(id, start + 1);
  }
  return batches.filter((batch) => batch.length > 0);
}
