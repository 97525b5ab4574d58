import { MockgenError, MockgenInternalError } from '../errors.js';
import type { ProgressListener } from '../types.js';
import type { DuckdbSession } from './duckdb-session.js';

/** One unit of work of a run, reported to the progress listener when it is done. */
export interface Step {
  phase: string;
  /** The table the step writes; its row count is reported. */
  table?: string;
  run: (session: DuckdbSession) => Promise<void>;
}

/**
 * Runs steps in order, reporting progress after each. A driver error becomes a
 * MockgenInternalError naming the step; errors thrown by the listener pass through unchanged
 * (the caller rolls back either way).
 */
export async function runSteps(
  session: DuckdbSession,
  steps: readonly Step[],
  onProgress: ProgressListener | undefined,
  countTable: (table: string) => Promise<number>,
): Promise<void> {
  for (const [i, step] of steps.entries()) {
    try {
      await step.run(session);
    } catch (error) {
      if (error instanceof MockgenError) throw error;
      throw new MockgenInternalError(step.table === undefined ? step.phase : `writing ${step.table}`, error);
    }
    if (onProgress !== undefined) {
      const rowsWritten = step.table === undefined ? undefined : await countTable(step.table);
      onProgress({
        phase: step.phase,
        ...(step.table === undefined ? {} : { table: step.table }),
        ...(rowsWritten === undefined ? {} : { rowsWritten }),
        completed: i + 1,
        total: steps.length,
      });
    }
  }
}
