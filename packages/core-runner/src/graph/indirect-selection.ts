import { ancestorsOf } from './graph-traversal.js';
import type { Graph, IndirectSelection } from './graph-types.js';

/**
 * A selection split the way dbt carries it between set operations: `direct` is selected;
 * `indirect` holds tests that are waiting for more of their parents to be selected (cautious and
 * buildable modes only).
 */
export interface SelectionBundle {
  direct: Set<string>;
  indirect: Set<string>;
}

const selectableIndirectly = (graph: Graph, id: string): boolean => {
  const type = graph.nodes.get(id)?.resourceType;
  return type === 'test' || type === 'unit_test';
};

const allIn = (ids: readonly string[] | undefined, set: ReadonlySet<string>): boolean =>
  (ids ?? []).every((id) => set.has(id));

/** Selected nodes, their ancestors and every source: what counts as "buildable" for a test's parents. */
function buildableSet(graph: Graph, selected: ReadonlySet<string>): Set<string> {
  const result = ancestorsOf(graph, selected);
  for (const id of selected) result.add(id);
  for (const [id, node] of graph.nodes) if (node.resourceType === 'source') result.add(id);
  return result;
}

/**
 * Pulls in the tests of selected nodes (dbt's `expand_selection`). eager: a test is selected when
 * any parent is; cautious: when all are; buildable: when all are selected or upstream of the
 * selection; empty: never. Tests not taken yet are kept in `indirect`, since a later union may
 * supply their other parents.
 *
 * @example
 * expandIndirect(graph, new Set(['model.marts.dim_customers']), 'eager').direct;
 * // dim_customers plus every test on it, including relationship tests to other models
 */
export function expandIndirect(
  graph: Graph,
  selected: Set<string>,
  mode: IndirectSelection,
): SelectionBundle {
  const direct = new Set(selected);
  const indirect = new Set<string>();
  if (mode === 'empty') return { direct, indirect };
  let buildable: Set<string> | undefined;
  for (const id of selected) {
    for (const child of graph.children.get(id) ?? []) {
      if (direct.has(child) || indirect.has(child) || !selectableIndirectly(graph, child)) continue;
      const parents = graph.parents.get(child);
      if (mode === 'eager' || allIn(parents, selected)) {
        direct.add(child);
        continue;
      }
      if (mode === 'buildable') {
        buildable ??= buildableSet(graph, selected);
        if (allIn(parents, buildable)) {
          direct.add(child);
          continue;
        }
      }
      indirect.add(child);
    }
  }
  return { direct, indirect };
}

/**
 * After a set operation, takes the waiting tests whose parents are now all selected (cautious) or
 * buildable (buildable). Eager and empty have nothing waiting. dbt's `incorporate_indirect_nodes`.
 *
 * @example
 * incorporateIndirect(graph, new Set(['model.a.x', 'model.a.y']), new Set(['test.a.rel_x_y']), 'cautious');
 * // adds 'test.a.rel_x_y' when its parents are x and y
 */
export function incorporateIndirect(
  graph: Graph,
  direct: Set<string>,
  indirect: ReadonlySet<string>,
  mode: IndirectSelection,
): Set<string> {
  if (mode !== 'cautious' && mode !== 'buildable') return direct;
  const pending = [...indirect].filter((id) => !direct.has(id) && selectableIndirectly(graph, id));
  if (pending.length === 0) return direct;
  const allowed = mode === 'cautious' ? new Set(direct) : buildableSet(graph, direct);
  for (const id of pending) if (allIn(graph.parents.get(id), allowed)) direct.add(id);
  return direct;
}
