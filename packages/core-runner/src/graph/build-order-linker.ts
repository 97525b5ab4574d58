import type { Graph } from './graph-types.js';
import { topologicalOrder } from './topo-sorter.js';

const isTestType = (graph: Graph, id: string): boolean => {
  const type = graph.nodes.get(id)?.resourceType;
  return type === 'test' || type === 'unit_test';
};

/** A min-heap of graph positions, to walk a region of the graph in topological order. */
class PositionHeap {
  readonly #items: number[] = [];
  get size(): number {
    return this.#items.length;
  }
  push(value: number): void {
    const items = this.#items;
    items.push(value);
    for (let i = items.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      if ((items[up] as number) <= value) break;
      [items[i], items[up]] = [items[up] as number, value];
      i = up;
    }
  }
  pop(): number {
    const items = this.#items;
    const top = items[0] as number;
    const last = items.pop() as number;
    if (items.length === 0) return top;
    items[0] = last;
    for (let i = 0; ; ) {
      let smallest = i;
      for (const c of [2 * i + 1, 2 * i + 2]) {
        if (c < items.length && (items[c] as number) < (items[smallest] as number)) smallest = c;
      }
      if (smallest === i) break;
      [items[i], items[smallest]] = [items[smallest] as number, items[i] as number];
      i = smallest;
    }
    return top;
  }
}

/**
 * The first nodes downstream of a test that have every parent of the test upstream of them
 * (dbt's rule for multi-parent tests such as relationships): the test gates those and, through
 * them, everything below. Walks only until each branch is gated.
 */
function gatedBy(
  graph: Graph,
  testParents: readonly string[],
  position: ReadonlyMap<string, number>,
): string[] {
  const full = (1n << BigInt(testParents.length)) - 1n;
  const reach = new Map<string, bigint>();
  const covered = new Set<string>();
  const heap = new PositionHeap();
  const queued = new Set<string>();
  const enqueue = (id: string) => {
    if (queued.has(id)) return;
    queued.add(id);
    heap.push(position.get(id) as number);
  };
  testParents.forEach((id, bit) => {
    reach.set(id, (reach.get(id) ?? 0n) | (1n << BigInt(bit)));
    enqueue(id);
  });
  const isTestParent = new Set(testParents);
  const targets: string[] = [];
  while (heap.size > 0) {
    const id = graph.order[heap.pop()] as string;
    let mask = reach.get(id) ?? 0n;
    let parentCovered = false;
    for (const parent of graph.parents.get(id) ?? []) {
      mask |= reach.get(parent) ?? 0n;
      if (covered.has(parent)) parentCovered = true;
    }
    reach.set(id, mask);
    if (parentCovered) {
      covered.add(id);
      continue;
    }
    if (mask === full && !isTestParent.has(id)) {
      targets.push(id);
      covered.add(id);
      continue;
    }
    for (const child of graph.children.get(id) ?? []) if (!isTestType(graph, child)) enqueue(child);
  }
  return targets;
}

/**
 * The graph `build` runs on, with dbt build's extra ordering edges. A data test gates what is
 * built from the nodes it tests: a failing `not_null` on stg_orders skips fct_orders. A unit test
 * runs before the model it tests (after that model's parents), so a failing unit test skips the
 * model. Other tasks use the plain graph. The input is not changed.
 *
 * @example
 * const buildGraph = linkBuildOrder(graph);
 * buildGraph.parents.get('model.marts.fct_orders');
 * // [..., 'test.staging.not_null_stg_shop__orders_order_id.1a2b3c']
 */
export function linkBuildOrder(graph: Graph): Graph {
  const parents = new Map<string, string[]>();
  for (const [id, list] of graph.parents) parents.set(id, [...list]);
  const position = new Map(graph.order.map((id, index) => [id, index]));
  const addEdge = (from: string, to: string) => {
    const list = parents.get(to) as string[];
    if (!list.includes(from)) list.push(from);
  };

  for (const [id, node] of graph.nodes) {
    const testParents = graph.parents.get(id) ?? [];
    if (node.resourceType === 'test' && testParents.length > 0) {
      const targets =
        testParents.length === 1
          ? (graph.children.get(testParents[0] as string) ?? []).filter((child) => !isTestType(graph, child))
          : gatedBy(graph, testParents, position);
      for (const target of targets) addEdge(id, target);
    } else if (node.resourceType === 'unit_test') {
      const model = node.attachedNode ?? testParents[0];
      if (model === undefined || !graph.nodes.has(model)) continue;
      // Move the unit test in front of its model: it needs the model's inputs, not the model.
      const own = (parents.get(id) as string[]).filter((p) => p !== model);
      for (const input of graph.parents.get(model) ?? []) if (!own.includes(input)) own.push(input);
      parents.set(id, own);
      addEdge(id, model);
    }
  }

  const children = new Map<string, string[]>();
  for (const id of graph.nodes.keys()) children.set(id, []);
  for (const [id, list] of parents) for (const parent of list) (children.get(parent) as string[]).push(id);
  const { order } = topologicalOrder([...graph.nodes.keys()], parents, children);
  return { nodes: graph.nodes, parents, children, order, disabled: graph.disabled };
}
