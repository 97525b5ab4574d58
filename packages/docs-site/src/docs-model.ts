import type { DashboardData } from '@shopsmart/core-runner';

/** The artifacts as the site reads them (the dbt-shaped JSON `docs generate` embeds). */
interface ManifestNodeJson {
  unique_id: string;
  resource_type: string;
  name: string;
  package_name: string;
  original_file_path: string;
  fqn: string[];
  tags: string[];
  config: Record<string, unknown>;
  depends_on?: { nodes?: string[]; macros?: string[] };
  checksum?: { checksum: string };
  raw_code?: string;
  compiled_code?: string;
  description?: string;
  columns?: Record<string, { name: string; description?: string; data_type?: string | null }>;
  meta?: Record<string, unknown>;
  database?: string | null;
  schema?: string | null;
  alias?: string | null;
  relation_name?: string | null;
  source_name?: string;
  source_description?: string;
  loaded_at_field?: string | null;
  identifier?: string;
  test_metadata?: { name: string; namespace: string | null; kwargs: Record<string, unknown> };
  attached_node?: string;
  column_name?: string | null;
  type?: string;
  owner?: { name?: string; email?: string } | null;
  maturity?: string | null;
  url?: string | null;
  label?: string | null;
  /** Unit tests (dbt's manifest fields). */
  given?: { input: string; rows?: Record<string, unknown>[] | string; format?: string }[];
  expect?: { rows?: Record<string, unknown>[] | string; format?: string };
}

interface ManifestJson {
  metadata: {
    project_name: string;
    generated_at: string;
    layers?: { name: string; dependencies: string[] }[];
  };
  nodes: Record<string, ManifestNodeJson>;
  sources: Record<string, ManifestNodeJson>;
  exposures: Record<string, ManifestNodeJson>;
  macros: Record<
    string,
    { unique_id: string; name: string; package_name: string; original_file_path: string; description: string }
  >;
  docs: Record<string, { unique_id: string; name: string; package_name: string; block_contents: string }>;
  parent_map: Record<string, string[]>;
  child_map: Record<string, string[]>;
}

interface CatalogJson {
  nodes: Record<string, CatalogEntry>;
  sources: Record<string, CatalogEntry>;
}

export interface CatalogEntry {
  metadata: { type: string; schema: string; name: string; database: string | null; owner: null };
  columns: Record<string, { type: string; index: number; name: string }>;
  stats: Record<string, { label: string; value: unknown; include: boolean }>;
}

export interface RunResult {
  unique_id: string;
  status: string;
  execution_time: number;
  message?: string | null;
  failures?: number | null;
}

export interface FreshnessJson {
  unique_id: string;
  status: string;
  max_loaded_at?: string;
  snapshotted_at?: string;
  max_loaded_at_time_ago_in_s?: number;
  criteria?: unknown;
}

export interface RawDocsData {
  manifest: ManifestJson;
  catalog: CatalogJson | null;
  runResults: { metadata?: { generated_at?: string }; results: RunResult[] } | null;
  sources: { metadata?: { generated_at?: string }; results: FreshnessJson[] } | null;
  /** The exposures' dashboards, read from the warehouse at generate time (by exposure id). */
  dashboards?: Record<string, DashboardData>;
}

export interface DocColumn {
  name: string;
  description: string;
  /** From the catalog (what the warehouse has), else the declared data_type. */
  type: string | undefined;
  index: number;
  tests: DocNode[];
}

/** One page of the site: a node, source, exposure or macro. */
export interface DocNode {
  id: string;
  resourceType: string;
  name: string;
  /** Sources: `source_name.table`; others: name. */
  label: string;
  packageName: string;
  path: string;
  description: string;
  tags: string[];
  config: Record<string, unknown>;
  materialized: string | undefined;
  rawCode: string | undefined;
  compiledCode: string | undefined;
  columns: DocColumn[];
  parents: string[];
  children: string[];
  json: ManifestNodeJson | undefined;
  catalog: CatalogEntry | undefined;
  result: RunResult | undefined;
  freshness: FreshnessJson | undefined;
  /** Lower-cased text the search matches against. */
  searchColumns: string[];
}

export interface DocsModel {
  projectName: string;
  generatedAt: string;
  overview: string;
  nodes: Map<string, DocNode>;
  /** Display order for the sidebar: by resource type, then package, then name. */
  ordered: DocNode[];
  manifest: ManifestJson;
  runGeneratedAt: string | undefined;
  dashboards: Record<string, DashboardData>;
}

const resourceOrder = [
  'model',
  'source',
  'seed',
  'snapshot',
  'test',
  'unit_test',
  'analysis',
  'exposure',
  'macro',
];

/** Builds the site's index once from the embedded artifacts; every page reads from it. */
export function buildModel(data: RawDocsData): DocsModel {
  const { manifest } = data;
  const catalog = { ...(data.catalog?.nodes ?? {}), ...(data.catalog?.sources ?? {}) };
  const results = new Map((data.runResults?.results ?? []).map((r) => [r.unique_id, r]));
  const freshness = new Map((data.sources?.results ?? []).map((r) => [r.unique_id, r]));
  const nodes = new Map<string, DocNode>();
  const all = [
    ...Object.values(manifest.nodes),
    ...Object.values(manifest.sources),
    ...Object.values(manifest.exposures),
  ];
  for (const json of all) {
    const entry = catalog[json.unique_id];
    const catalogColumns = new Map(
      Object.values(entry?.columns ?? {}).map((c) => [c.name.toLowerCase(), c] as const),
    );
    const declared = Object.values(json.columns ?? {});
    const columns: DocColumn[] = declared.map((c, i) => {
      const found = catalogColumns.get(c.name.toLowerCase());
      return {
        name: c.name,
        description: c.description ?? '',
        type: found?.type ?? c.data_type ?? undefined,
        index: found?.index ?? 10_000 + i,
        tests: [],
      };
    });
    const declaredNames = new Set(declared.map((c) => c.name.toLowerCase()));
    for (const c of catalogColumns.values())
      if (!declaredNames.has(c.name.toLowerCase()))
        columns.push({ name: c.name, description: '', type: c.type, index: c.index, tests: [] });
    columns.sort((a, b) => a.index - b.index);
    nodes.set(json.unique_id, {
      id: json.unique_id,
      resourceType: json.resource_type,
      name: json.name,
      label: json.resource_type === 'source' ? `${json.source_name}.${json.name}` : json.name,
      packageName: json.package_name,
      path: json.original_file_path,
      description: json.description ?? '',
      tags: json.tags ?? [],
      config: json.config ?? {},
      materialized: typeof json.config?.materialized === 'string' ? json.config.materialized : undefined,
      rawCode: json.raw_code || undefined,
      compiledCode: json.compiled_code || undefined,
      columns,
      parents: json.depends_on?.nodes ?? [],
      children: manifest.child_map[json.unique_id] ?? [],
      json,
      catalog: entry,
      result: results.get(json.unique_id),
      freshness: freshness.get(json.unique_id),
      searchColumns: columns.map((c) => c.name.toLowerCase()),
    });
  }
  for (const macro of Object.values(manifest.macros)) {
    nodes.set(macro.unique_id, {
      id: macro.unique_id,
      resourceType: 'macro',
      name: macro.name,
      label: macro.name,
      packageName: macro.package_name,
      path: macro.original_file_path,
      description: macro.description ?? '',
      tags: [],
      config: {},
      materialized: undefined,
      rawCode: undefined,
      compiledCode: undefined,
      columns: [],
      parents: [],
      children: [],
      json: undefined,
      catalog: undefined,
      result: undefined,
      freshness: undefined,
      searchColumns: [],
    });
  }
  // Tests on a column show on that column; tests on the whole node show in its test list.
  for (const node of nodes.values()) {
    if (node.resourceType !== 'test' || !node.json?.attached_node) continue;
    const parent = nodes.get(node.json.attached_node);
    const column = node.json.column_name?.toLowerCase();
    const target = column ? parent?.columns.find((c) => c.name.toLowerCase() === column) : undefined;
    target?.tests.push(node);
  }
  const ordered = [...nodes.values()].sort(
    (a, b) =>
      rank(a.resourceType) - rank(b.resourceType) ||
      a.packageName.localeCompare(b.packageName) ||
      a.label.localeCompare(b.label),
  );
  const overviewDoc =
    Object.values(manifest.docs).find((d) => d.name === '__overview__') ??
    Object.values(manifest.docs).find((d) => d.name === 'money_terms');
  return {
    projectName: manifest.metadata.project_name,
    generatedAt: manifest.metadata.generated_at,
    overview: overviewDoc?.block_contents ?? '',
    nodes,
    ordered,
    manifest,
    runGeneratedAt: data.runResults?.metadata?.generated_at,
    dashboards: data.dashboards ?? {},
  };
}

function rank(type: string): number {
  const i = resourceOrder.indexOf(type);
  return i === -1 ? resourceOrder.length : i;
}

/** The URL fragment of a node's page: `#!/model/model.marts.dim_customers`. */
export function nodeHref(node: Pick<DocNode, 'resourceType' | 'id'>): string {
  return `#!/${node.resourceType}/${encodeURIComponent(node.id)}`;
}
