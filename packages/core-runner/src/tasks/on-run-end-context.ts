import type { RunResult } from '../artifacts/run-results.js';
import type { ParsedProject } from '../project/manifest-builder.js';
import type { ProjectNode } from '../project/project-types.js';
import { renderRelation } from '../template/relation-value.js';

const notBuilt = new Set(['error', 'fail', 'skipped']);

/**
 * dbt's on-run-end context (docs.getdbt.com/reference/dbt-jinja-functions/on-run-end-context):
 * `results` (one Result per node: node, status, message, timing, thread_id, execution_time,
 * adapter_response, failures), `schemas` and `database_schemas` (where relations were built).
 *
 * @example
 * onRunEndContext(project, results).schemas; // → ['main', 'main_marts']
 */
export function onRunEndContext(
  project: ParsedProject,
  results: readonly RunResult[],
): Record<string, unknown> {
  const databaseSchemas = new Map<string, [string, string]>();
  const resultValues = results.map((result) => {
    const node = project.manifest.nodes[result.uniqueId];
    if (node && isRelational(node) && !notBuilt.has(result.status) && node.relation) {
      const database = node.relation.database ?? '';
      databaseSchemas.set(`${database}.${node.relation.schema}`, [database, node.relation.schema]);
    }
    return resultValue(result, node);
  });
  const pairs = [...databaseSchemas.values()];
  return {
    results: resultValues,
    schemas: [...new Set(pairs.map(([, schema]) => schema))],
    database_schemas: pairs,
  };
}

function isRelational(node: ProjectNode): boolean {
  if (!['model', 'seed', 'snapshot'].includes(node.resourceType)) return false;
  return node.config.materialized !== 'ephemeral';
}

function resultValue(result: RunResult, node: ProjectNode | undefined): Record<string, unknown> {
  const timing =
    result.startedAt && result.completedAt
      ? [
          { name: 'compile', started_at: result.startedAt, completed_at: result.startedAt },
          { name: 'execute', started_at: result.startedAt, completed_at: result.completedAt },
        ]
      : [];
  return {
    status: result.status,
    message: result.message,
    execution_time: result.executionMs / 1000,
    thread_id: 'Thread-1',
    timing,
    failures: result.failures ?? null,
    adapter_response:
      result.rowsAffected === undefined
        ? {}
        : { _message: 'OK', code: 'OK', rows_affected: result.rowsAffected },
    node: node ? nodeValue(node) : { unique_id: result.uniqueId },
  };
}

function nodeValue(node: ProjectNode): Record<string, unknown> {
  return {
    unique_id: node.uniqueId,
    name: node.name,
    resource_type: node.resourceType,
    package_name: node.packageName,
    original_file_path: node.originalFilePath,
    database: node.relation?.database ?? null,
    schema: node.relation?.schema ?? null,
    alias: node.relation?.identifier ?? node.name,
    relation_name: node.relation ? renderRelation(node.relation) : null,
    tags: node.tags,
    config: node.config,
  };
}
