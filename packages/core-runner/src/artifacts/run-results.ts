import type { NodeStatus } from '../events.js';
import type { BatchResults } from '../materialize/materialization-types.js';

/** One node's outcome in run_results.json. */
export interface RunResult {
  uniqueId: string;
  status: NodeStatus;
  executionMs: number;
  message: string;
  rowsAffected?: number;
  failures?: number;
  sampleRows?: Record<string, unknown>[];
  /** Microbatch models: which batches were written and which failed (`retry` reruns those). */
  batchResults?: BatchResults;
  error?: { code: string; message: string; file?: string; line?: number; hint?: string };
  /** When the node started and finished (ISO), for dbt's `timing` in on-run-end `results`. */
  startedAt?: string;
  completedAt?: string;
  /** Order in which the node started (for display). */
  index?: number;
}

export interface RunResults {
  command: string;
  invocationId: string;
  generatedAt: string;
  elapsedMs: number;
  success: boolean;
  /** The run's `signal` aborted it: running nodes are `cancelled`, the ones not started `skipped`. */
  interrupted?: boolean;
  results: RunResult[];
  args: Record<string, unknown>;
}
