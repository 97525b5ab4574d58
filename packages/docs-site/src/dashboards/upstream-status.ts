import type { DocNode, DocsModel } from '../docs-model.js';

/** Statuses of the last run that mean a node or its tests did not come through. */
const failing = new Set(['fail', 'error', 'runtime error', 'skipped']);

/** An upstream node that failed, errored or was skipped, or whose tests did, in the last run. */
export interface UpstreamFailure {
  node: DocNode;
  /** The node's own result when it errored or was skipped. */
  status: string | undefined;
  /** Its tests that failed, errored or were skipped. */
  tests: DocNode[];
}

/**
 * Every node upstream of `id` (parents, their parents, …) that failed in the last run
 * (run_results.json): its own build errored or was skipped, or one of its tests failed, errored
 * or was skipped. Nearest first.
 *
 * @example
 * upstreamFailures(model, 'exposure.marts.executive_kpis');
 * // → [{ node: <orders_monthly>, status: undefined, tests: [<not_null_orders_monthly_total_revenue>] }]
 */
export function upstreamFailures(model: DocsModel, id: string): UpstreamFailure[] {
  const seen = new Set<string>([id]);
  const queue = [...(model.nodes.get(id)?.parents ?? [])];
  const out: UpstreamFailure[] = [];
  while (queue.length) {
    const current = queue.shift() as string;
    if (seen.has(current)) continue;
    seen.add(current);
    const node = model.nodes.get(current);
    if (!node) continue;
    queue.push(...node.parents);
    const own = node.result?.status;
    const tests = node.children
      .map((child) => model.nodes.get(child))
      .filter(
        (test): test is DocNode =>
          test?.resourceType === 'test' && failing.has(test.result?.status ?? '') && test.parents.length > 0,
      );
    if ((own && failing.has(own)) || tests.length)
      out.push({ node, status: own && failing.has(own) ? own : undefined, tests });
  }
  return out;
}
