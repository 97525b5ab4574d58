/** Resource kinds, as dbt names them. */
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

/** A relation in the warehouse. */
export interface Relation {
  database?: string;
  schema: string;
  identifier: string;
}

/** Node config after the dbt hierarchy is applied (project folder → YAML → in-file `config()`). */
export interface NodeConfig {
  enabled: boolean;
  materialized: string;
  tags: string[];
  schema?: string;
  alias?: string;
  database?: string;
  pre_hook: string[];
  post_hook: string[];
  [key: string]: unknown;
}

export interface ColumnInfo {
  name: string;
  description: string;
  dataType?: string;
  tests: TestDeclaration[];
  meta: Record<string, unknown>;
}

/** A test as written in YAML: `unique`, `{ accepted_values: { values: [...] } }`, `{ relationships: {...} }`. */
export interface TestDeclaration {
  /** Test macro name, possibly namespaced: `accepted_range`, `quality.accepted_range`. */
  testName: string;
  kwargs: Record<string, unknown>;
  config: Record<string, unknown>;
  /** Explicit `name:` given in YAML. */
  name?: string;
  file: string;
  line: number;
}

/** Where a node came from. */
export interface NodeOrigin {
  /** Absolute path of the file holding the node's code (or YAML for sources/exposures). */
  absolutePath: string;
  /** YAML file that documents the node, relative to the layer root. */
  patchPath?: string;
  /** Line in the YAML where the node is documented. */
  patchLine?: number;
}

/** One node of the project: what the loader knows before rendering. JSON-serialisable. */
export interface ProjectNode {
  uniqueId: string;
  resourceType: ResourceType;
  name: string;
  packageName: string;
  originalFilePath: string;
  fqn: string[];
  tags: string[];
  config: NodeConfig;
  /** uniqueIds this node depends on; filled by the parser from `ref`/`source` calls. */
  dependsOn: string[];
  dependsOnMacros: string[];
  checksum: string;
  rawCode: string;
  language: 'sql';
  description: string;
  columns: Record<string, ColumnInfo>;
  meta: Record<string, unknown>;
  docs: { show: boolean };
  origin: NodeOrigin;
  relation?: Relation;
  /** Seeds: the CSV's absolute path. */
  seedPath?: string;
  /** Sources. */
  sourceName?: string;
  sourceDescription?: string;
  loadedAtField?: string;
  freshness?: FreshnessConfig | null;
  /** Tests. */
  testMetadata?: { name: string; namespace?: string; kwargs: Record<string, unknown> };
  attachedNode?: string;
  columnName?: string;
  /** Exposures. */
  exposure?: {
    type: string;
    owner: Record<string, unknown>;
    maturity?: string;
    url?: string;
    label?: string;
  };
  /** Unit tests. */
  unitTest?: UnitTestDefinition;
  /** Versioned models (`versions:` in YAML): this node's version and the model's latest one. */
  version?: string | number;
  latestVersion?: string | number;
  /** Declared refs found by the parser (`[package?, name]`) and sources (`[source, table]`). */
  refs: string[][];
  sources: string[][];
}

export interface FreshnessThreshold {
  count: number;
  period: 'minute' | 'hour' | 'day';
}

export interface FreshnessConfig {
  warn_after?: FreshnessThreshold;
  error_after?: FreshnessThreshold;
  filter?: string;
}

/** One `given` (with `input`) or the `expect` of a unit test. */
export interface UnitTestRows {
  input: string;
  rows?: Record<string, unknown>[] | string;
  format?: string;
  /** dbt's `fixture:`: a file under tests/fixtures (or any test path) named `<fixture>.csv` / `.sql`. */
  fixture?: string;
}

export interface UnitTestDefinition {
  model: string;
  /**
   * `rows` is a list of mappings (`format: dict`), CSV text (`csv`) or a select (`sql`); a
   * `fixture:` file's text is read into `rows` when the project is parsed.
   */
  given: UnitTestRows[];
  expect: Omit<UnitTestRows, 'input'>;
  overrides?: { vars?: Record<string, unknown>; macros?: Record<string, unknown> };
}

/** A documentation block from a `.md` file: `{% docs name %}...{% enddocs %}`. */
export interface DocBlock {
  name: string;
  packageName: string;
  text: string;
  file: string;
}

/** A macro as the loader found it. */
export interface MacroInfo {
  uniqueId: string;
  name: string;
  packageName: string;
  originalFilePath: string;
  line: number;
  description: string;
  /** Generic test definitions are stored as macros named `test_<name>`, as dbt does. */
  isTest: boolean;
}
