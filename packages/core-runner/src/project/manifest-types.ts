import type { DocBlock, MacroInfo, ProjectNode } from './project-types.js';

/** The parsed project, in a shape close to dbt's manifest.json. JSON-serialisable. */
export interface Manifest {
  metadata: {
    projectName: string;
    generatedAt: string;
    invocationId: string;
    target: string;
    layers: { name: string; root: string; dependencies: string[] }[];
  };
  /** Models, seeds, snapshots, tests, analyses and unit tests. */
  nodes: Record<string, ProjectNode>;
  sources: Record<string, ProjectNode>;
  exposures: Record<string, ProjectNode>;
  macros: Record<string, MacroInfo>;
  docs: Record<string, DocBlock>;
  parentMap: Record<string, string[]>;
  childMap: Record<string, string[]>;
  /** uniqueIds switched off with `enabled: false`. */
  disabled: string[];
}

/** What compilation needs beyond the manifest: the parse render of each SQL node. */
export interface ParsedCode {
  /** Rendered SQL with relation tokens. */
  code: string;
  /** Token key → the uniqueId it stands for. */
  tokens: Map<number, string>;
  /** True when the node must be rendered again at run time (is_incremental, run_query, …). */
  renderAtExecution: boolean;
  /** `{{ log(...) }}` messages of the parse render, reported when the node runs. */
  logs: string[];
}
