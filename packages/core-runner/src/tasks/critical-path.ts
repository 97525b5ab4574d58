import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Graph } from '../graph/graph-types.js';

/** What a node is expected to take when no earlier run timed it (ms): tests run in batches. */
const defaultMs = (resourceType: string | undefined): number =>
  resourceType === 'test' ? 2 : resourceType === 'source' || resourceType === 'exposure' ? 0 : 50;

/**
 * Each node's execution time in the last run that wrote target/run_results.json (ms; a batched
 * test counts its share of its batch). Empty when there is none or it cannot be read.
 */
export function previousDurations(targetDir: string): Map<string, number> {
  const durations = new Map<string, number>();
  try {
    const file = JSON.parse(readFileSync(join(targetDir, 'run_results.json'), 'utf8')) as {
      results?: { unique_id?: unknown; execution_time?: unknown }[];
    };
    for (const result of file.results ?? []) {
      if (typeof result.unique_id === 'string' && typeof result.execution_time === 'number')
        durations.set(result.unique_id, result.execution_time * 1000);
    }
  } catch {
    // no earlier run: every node takes its default
  }
  return durations;
}

/**
 * The critical-path rank of every node: its expected time plus the longest chain of expected
 * times after it (its descendants in the command's graph, where a build's models wait for the
 * tests of their parents). Starting the ready node of highest rank first keeps the longest chain
 * moving — in ShopSmart's build, the staging tests that gate `int_web_sessions` and the model
 * itself — while shorter branches fill the other connections.
 *
 * @example
 * criticalPathRanks(graph, new Map([['model.p.slow', 900]]));
 * // → Map { 'model.p.slow' => 900 + the longest chain after it, ... }
 */
export function criticalPathRanks(graph: Graph, durations: ReadonlyMap<string, number>): Map<string, number> {
  const ranks = new Map<string, number>();
  for (let i = graph.order.length - 1; i >= 0; i--) {
    const id = graph.order[i] as string;
    let longest = 0;
    for (const child of graph.children.get(id) ?? []) longest = Math.max(longest, ranks.get(child) ?? 0);
    const own = durations.get(id) ?? defaultMs(graph.nodes.get(id)?.resourceType);
    ranks.set(id, own + longest);
  }
  return ranks;
}

/**
 * Puts `ids` into `queue`, which is kept in descending rank; among equal ranks, first come first
 * served.
 */
export function enqueueByRank(
  queue: string[],
  ids: readonly string[],
  ranks: ReadonlyMap<string, number>,
): void {
  for (const id of ids) {
    const rank = ranks.get(id) ?? 0;
    let low = 0;
    let high = queue.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((ranks.get(queue[middle] as string) ?? 0) >= rank) low = middle + 1;
      else high = middle;
    }
    queue.splice(low, 0, id);
  }
}
