import type { SelectorDefinitions } from './selector-definitions.js';

/** Kinds of node the engine knows; the values are dbt's `resource_type` strings. */
export type ResourceType =
  | 'model'
  | 'seed'
  | 'snapshot'
  | 'test'
  | 'unit_test'
  | 'source'
  | 'exposure'
  | 'analysis'
  | 'operation';

/** Every resource type, for validation and did-you-mean. */
export const RESOURCE_TYPES: readonly ResourceType[] = [
  'model',
  'seed',
  'snapshot',
  'test',
  'unit_test',
  'source',
  'exposure',
  'analysis',
  'operation',
];

/** One resource of the project, as the loader produces it. JSON-serialisable. */
export interface GraphNode {
  /** dbt style: 'model.marts.dim_customers', 'source.staging.raw.orders', 'test.marts.unique_x.<hash>' */
  uniqueId: string;
  resourceType: ResourceType;
  /** 'dim_customers' (sources: the table name; the source selector uses sourceName.tableName) */
  name: string;
  /** The layer: 'staging' | 'marts' | … ; `package:` selects by it. */
  packageName: string;
  /** Relative to the layer root, e.g. 'models/core/dim_customers.sql'. */
  originalFilePath: string;
  /** ['marts', 'core', 'dim_customers'] */
  fqn: string[];
  tags: string[];
  config: { materialized?: string; enabled?: boolean; [key: string]: unknown };
  /** uniqueIds this node depends on (refs, sources, and for tests: the nodes they test). */
  dependsOn: string[];
  /** Content hash of raw code + config; used by state:modified. */
  checksum: string;
  /** Sources only. */
  sourceName?: string;
  /** Generic tests only (test_type:generic); tests without it are singular. */
  testMetadata?: { name: string; kwargs: Record<string, unknown> };
  /** Tests: the uniqueId of the model/seed/snapshot/source they test. */
  attachedNode?: string;
}

/** Checksums from a saved manifest, for `state:`. */
export interface PreviousState {
  nodes: Record<string, { checksum: string }>;
}

export type ResultStatus = 'success' | 'error' | 'fail' | 'warn' | 'skipped' | 'pass';

/** Statuses from the last run_results.json, for `result:`. */
export interface PreviousResults {
  results: { uniqueId: string; status: ResultStatus }[];
}

/**
 * The dependency graph of the enabled nodes. An in-memory index derived from the (serialisable)
 * node list; Maps rather than records so ids like `__proto__` cannot collide with object keys.
 * Edges point both ways and only between nodes that are in `nodes`.
 */
export interface Graph {
  /** Enabled nodes by uniqueId, in uniqueId order. */
  readonly nodes: ReadonlyMap<string, GraphNode>;
  /** uniqueId → the ids it depends on (deduplicated). */
  readonly parents: ReadonlyMap<string, readonly string[]>;
  /** uniqueId → the ids that depend on it. */
  readonly children: ReadonlyMap<string, readonly string[]>;
  /** Every node, parents before children; nodes on or below a cycle come last in id order. */
  readonly order: readonly string[];
  /** Nodes left out of the graph: `enabled: false`, or tests of a disabled node. */
  readonly disabled: ReadonlyMap<string, GraphNode>;
}

/** How tests are pulled in by the selection of the nodes they test (dbt's `--indirect-selection`). */
export type IndirectSelection = 'eager' | 'cautious' | 'buildable' | 'empty';

export interface SelectOptions {
  /** `--select` values; each may hold several space-separated selectors. Empty or absent: everything. */
  select?: readonly string[];
  /** `--exclude` values, same grammar, subtracted. */
  exclude?: readonly string[];
  /** The saved manifest's checksums; required by `state:`. */
  state?: PreviousState;
  /** The last run's results; required by `result:`. */
  results?: PreviousResults;
  /** Default 'eager', as in dbt. */
  indirectSelection?: IndirectSelection;
  /** The project's YAML selectors (selectors.yml), for `--selector`, `selector:` and the default. */
  selectors?: SelectorDefinitions;
  /** `--selector NAME`: select with this YAML selector; --select/--exclude are then ignored (dbt). */
  selector?: string;
}

export interface SelectionResult {
  selected: Set<string>;
  /** One line per selector that matched nothing, like dbt's NoNodesForSelectionCriteria. */
  warnings: string[];
  /** The YAML selector that chose the nodes (`--selector`, or the default one), if any. */
  selector?: string;
}
