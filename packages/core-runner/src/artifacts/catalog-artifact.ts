import type { CatalogRelation } from '../adapter/warehouse-adapter.js';
import type { Manifest } from '../project/manifest-types.js';
import type { ProjectNode } from '../project/project-types.js';

/** A statistic of a relation, as dbt's catalog.json writes one. */
export interface CatalogStat {
  id: string;
  label: string;
  value: number | string | boolean | null;
  include: boolean;
  description: string;
}

/** One relation in catalog.json: what the warehouse says about a node's table or view. */
export interface CatalogTable {
  metadata: {
    /** `BASE TABLE` or `VIEW`, as information_schema says. */
    type: string;
    schema: string;
    name: string;
    database: string | null;
    comment: string | null;
    owner: null;
  };
  columns: Record<string, { type: string; index: number; name: string; comment: string | null }>;
  stats: Record<string, CatalogStat>;
  unique_id: string;
}

/** target/catalog.json, in dbt's shape (schema v1). */
export interface CatalogArtifact {
  metadata: {
    dbt_schema_version: string;
    generator: string;
    generated_at: string;
    invocation_id: string;
    env: Record<string, string>;
  };
  nodes: Record<string, CatalogTable>;
  sources: Record<string, CatalogTable>;
  errors: string[] | null;
}

const key = (schema: string, name: string) => `${schema}\u0000${name}`.toLowerCase();

function catalogTable(node: ProjectNode, relation: CatalogRelation): CatalogTable {
  const stats: Record<string, CatalogStat> = {
    has_stats: {
      id: 'has_stats',
      label: 'Has Stats?',
      value: relation.rowCount !== undefined,
      include: false,
      description: 'Indicates whether there are statistics for this table',
    },
  };
  if (relation.rowCount !== undefined) {
    stats.row_count = {
      id: 'row_count',
      label: 'Row Count',
      value: relation.rowCount,
      include: true,
      description: 'Rows in the table, as the warehouse counts them',
    };
  }
  return {
    metadata: {
      type: relation.kind === 'view' ? 'VIEW' : 'BASE TABLE',
      schema: relation.schema,
      name: relation.name,
      database: relation.database,
      comment: relation.comment,
      owner: null,
    },
    columns: Object.fromEntries(
      relation.columns.map((c) => [
        c.name,
        { type: c.type, index: c.index, name: c.name, comment: c.comment },
      ]),
    ),
    stats,
    unique_id: node.uniqueId,
  };
}

/**
 * catalog.json from the warehouse's relations: one entry per model, seed, snapshot and source
 * whose relation exists (unbuilt nodes are simply absent, as in dbt).
 *
 * @example
 * catalogArtifact(manifest, await adapter.catalog(['main']), { generatedAt, invocationId });
 * // → { nodes: { 'model.marts.dim_customers': { metadata: { type: 'BASE TABLE', … }, columns: { customer_id: { type: 'INTEGER', index: 1, … } }, stats: { row_count: … } } }, sources: { … }, errors: null }
 */
export function catalogArtifact(
  manifest: Manifest,
  relations: readonly CatalogRelation[],
  run: { generatedAt: string; invocationId: string },
): CatalogArtifact {
  const byName = new Map(relations.map((r) => [key(r.schema, r.name), r]));
  const section = (nodes: Record<string, ProjectNode>) => {
    const out: Record<string, CatalogTable> = {};
    for (const node of Object.values(nodes)) {
      if (!node.relation || node.resourceType === 'test' || node.resourceType === 'unit_test') continue;
      const relation = byName.get(key(node.relation.schema, node.relation.identifier));
      if (relation) out[node.uniqueId] = catalogTable(node, relation);
    }
    return out;
  };
  return {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/catalog/v1.json',
      generator: '@shopsmart/core-runner',
      generated_at: run.generatedAt,
      invocation_id: run.invocationId,
      env: {},
    },
    nodes: section(manifest.nodes),
    sources: section(manifest.sources),
    errors: null,
  };
}

/** The schemas the project's relations live in: the catalog query reads only these. */
export function catalogSchemas(manifest: Manifest): string[] {
  const schemas = new Set<string>();
  for (const node of [...Object.values(manifest.nodes), ...Object.values(manifest.sources)])
    if (node.relation) schemas.add(node.relation.schema);
  return [...schemas].sort();
}
