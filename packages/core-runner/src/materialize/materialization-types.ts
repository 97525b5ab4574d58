import type { WarehouseAdapter, WarehouseConnection } from '../adapter/warehouse-adapter.js';
import type { NodeStatus } from '../events.js';
import type { ParsedProject } from '../project/manifest-builder.js';
import type { ProjectNode } from '../project/project-types.js';
import type { SqlCompiler } from '../template/sql-compiler.js';
import type { TestInputCache } from './test-input-cache.js';

/** Everything a materialization may use for one node. */
export interface MaterializationContext {
  node: ProjectNode;
  project: ParsedProject;
  adapter: WarehouseAdapter;
  connection: WarehouseConnection;
  compiler: SqlCompiler;
  fullRefresh: boolean;
  /** `--event-time-start` / `--event-time-end` for microbatch models (ISO timestamps). */
  eventTime?: { start?: string; end?: string };
  /** `retry` of a microbatch model's partial success: only these batches (ISO start, end) run. */
  batches?: [string, string][];
  /** The run's threads (how many connections batches with `concurrent_batches` may use). */
  threads?: number;
  /** Stored copies of views and ephemeral models that several tests read (see TestInputCache). */
  testInputs?: TestInputCache;
  /** Keeps the SQL that ran, for target/run/ and run_results. */
  recordSql(sql: string): void;
}

export interface MaterializationResult {
  status: NodeStatus;
  rowsAffected?: number;
  failures?: number;
  message: string;
  sampleRows?: Record<string, unknown>[];
  /** Microbatch: the batches (ISO start, end) that were written and that failed (dbt's `batch_results`). */
  batchResults?: BatchResults;
}

export interface BatchResults {
  successful: [string, string][];
  failed: [string, string][];
}
