import type { RunResult } from '../artifacts/run-results.js';
import type { NodeStatus } from '../events.js';

/**
 * dbt's `--fail-fast`: after the first error or failure, every selected node that has no result
 * yet (not started, or waiting on parents) is skipped, naming the node that stopped the run.
 *
 * @example
 * failFastSkips(new Set(['a', 'b']), [{ uniqueId: 'a', status: 'error', … }], 'a', 'error');
 * // [{ uniqueId: 'b', status: 'skipped', message: "skipped: --fail-fast stopped the run after 'a' failed", … }]
 */
export function failFastSkips(
  selected: ReadonlySet<string>,
  results: readonly RunResult[],
  cause: string,
  causeStatus: NodeStatus,
): RunResult[] {
  const done = new Set(results.map((result) => result.uniqueId));
  const message = `skipped: --fail-fast stopped the run after '${cause}' ${causeStatus === 'fail' ? 'failed its test' : 'failed'}`;
  return [...selected]
    .filter((id) => !done.has(id))
    .map((uniqueId) => ({ uniqueId, status: 'skipped' as NodeStatus, executionMs: 0, message }));
}
