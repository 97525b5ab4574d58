import type { Graph } from './graph-types.js';
import type { SkippedNode } from './run-scheduler.js';

export interface RunProgress {
  /** Nodes to run; all of the graph when absent. */
  selected?: ReadonlySet<string>;
  succeeded: ReadonlySet<string>;
  failed: ReadonlySet<string>;
  /** Started and not finished; left out of `ready`. */
  running?: ReadonlySet<string>;
}

export interface ReadyNodes {
  /** Selected nodes not started whose ancestors have all succeeded (unselected ones count as done). */
  ready: string[];
  /** Selected nodes not started with a failed ancestor; `cause` is the nearest failure upstream. */
  skipped: SkippedNode[];
}

/**
 * The stateless form of RunScheduler: from what has succeeded and failed so far, which selected
 * nodes can start and which must be skipped. One O(V + E) sweep in graph order per call; an
 * executor calling it after every node should prefer the incremental RunScheduler.
 *
 * @example
 * readyNodes(graph, { succeeded: new Set(['model.a.x']), failed: new Set(['model.a.y']) });
 * // { ready: ['model.a.z'], skipped: [{ uniqueId: 'model.a.w', cause: 'model.a.y' }] }
 */
export function readyNodes(graph: Graph, progress: RunProgress): ReadyNodes {
  const { selected, succeeded, failed, running } = progress;
  const isSelected = (id: string) => selected === undefined || selected.has(id);
  const done = new Set<string>();
  const blockedBy = new Map<string, string>();
  const ready: string[] = [];
  const skipped: SkippedNode[] = [];
  for (const id of graph.order) {
    let cause: string | undefined;
    let parentsDone = true;
    for (const parent of graph.parents.get(id) ?? []) {
      cause ??= failed.has(parent) ? parent : blockedBy.get(parent);
      if (!done.has(parent)) parentsDone = false;
    }
    if (cause !== undefined) {
      blockedBy.set(id, cause);
      if (isSelected(id) && !succeeded.has(id) && !failed.has(id)) skipped.push({ uniqueId: id, cause });
      continue;
    }
    if (!isSelected(id)) {
      if (parentsDone) done.add(id);
    } else if (succeeded.has(id)) {
      done.add(id);
    } else if (parentsDone && !failed.has(id) && !running?.has(id)) {
      ready.push(id);
    }
  }
  return { ready, skipped };
}
