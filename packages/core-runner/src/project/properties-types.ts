/** What a layer's property YAML files say, by section (the parser's output). */
import type { ColumnInfo, FreshnessConfig, TestDeclaration, UnitTestDefinition } from './project-types.js';

/** Documentation, tests and config a YAML file gives one model/seed/snapshot/analysis. */
export interface NodePatch {
  name: string;
  /** YAML-defined snapshots (dbt 1.9): the relation to snapshot, `ref('x')` or `source('s', 't')`. */
  relation?: string;
  description: string;
  config: Record<string, unknown>;
  columns: ColumnInfo[];
  tests: TestDeclaration[];
  meta: Record<string, unknown>;
  docsShow: boolean;
  /** Model versions (`versions:`): each version's `v`, file (`defined_in`), config and columns. */
  versions?: ModelVersionEntry[];
  latestVersion?: string | number;
  file: string;
  line: number;
}

export interface ModelVersionEntry {
  v: string | number;
  definedIn?: string;
  description?: string;
  config: Record<string, unknown>;
  /** The version's own column entries (override the model's by name). */
  columns: ColumnInfo[];
  /** `columns: - include: all | [..], exclude: [..]`: which of the model's columns it keeps. */
  include?: 'all' | string[];
  exclude?: string[];
  tests: TestDeclaration[];
  line: number;
}

export interface SourceTableEntry {
  sourceName: string;
  name: string;
  identifier: string;
  schema: string;
  database?: string;
  description: string;
  sourceDescription: string;
  loadedAtField?: string;
  freshness: FreshnessConfig | null;
  columns: ColumnInfo[];
  tests: TestDeclaration[];
  tags: string[];
  meta: Record<string, unknown>;
  enabled: boolean;
  file: string;
  line: number;
}

export interface ExposureEntry {
  name: string;
  label?: string;
  type: string;
  maturity?: string;
  url?: string;
  description: string;
  owner: Record<string, unknown>;
  dependsOn: string[];
  tags: string[];
  meta: Record<string, unknown>;
  file: string;
  line: number;
}

export interface UnitTestEntry extends UnitTestDefinition {
  name: string;
  description: string;
  config: Record<string, unknown>;
  file: string;
  line: number;
}

export interface MacroPatch {
  name: string;
  description: string;
  arguments: { name: string; type?: string; description?: string }[];
  file: string;
  line: number;
}

export interface LayerProperties {
  models: Map<string, NodePatch>;
  seeds: Map<string, NodePatch>;
  snapshots: Map<string, NodePatch>;
  analyses: Map<string, NodePatch>;
  macros: Map<string, MacroPatch>;
  sources: SourceTableEntry[];
  exposures: ExposureEntry[];
  unitTests: UnitTestEntry[];
}

export function emptyProperties(): LayerProperties {
  return {
    models: new Map(),
    seeds: new Map(),
    snapshots: new Map(),
    analyses: new Map(),
    macros: new Map(),
    sources: [],
    exposures: [],
    unitTests: [],
  };
}
