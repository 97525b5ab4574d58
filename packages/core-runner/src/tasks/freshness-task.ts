import { openWarehouse } from '../adapter/adapter-registry.js';
import type { SqlDialect } from '../adapter/sql-dialect.js';
import { writeSourcesArtifact } from '../artifacts/sources-artifact.js';
import { ShopsmartError, throwIfAny } from '../errors.js';
import type { EventBus, NodeStatus } from '../events.js';
import { buildGraph } from '../graph/dag-builder.js';
import { selectNodes } from '../graph/selector-evaluator.js';
import type { ParsedProject } from '../project/manifest-builder.js';
import type { ProjectNode } from '../project/project-types.js';
import {
  type FreshnessCriteria,
  type FreshnessStatus,
  freshnessCriteria,
  freshnessMessage,
  freshnessStatus,
} from './freshness-criteria.js';
import { freshnessSql } from './freshness-query.js';

/** One source table's freshness, as dbt reports it in sources.json. */
export interface FreshnessResult {
  uniqueId: string;
  sourceName: string;
  name: string;
  /** `schema.identifier`. */
  relation: string;
  status: FreshnessStatus;
  /** ISO 8601, UTC. */
  maxLoadedAt?: string;
  snapshottedAt?: string;
  ageSeconds?: number;
  criteria: FreshnessCriteria;
  /** `age 3.2 h, warn after 24 h`, or the error. */
  message: string;
  executionMs: number;
  error?: { code: string; message: string; hint?: string };
}

export interface FreshnessResults {
  invocationId: string;
  generatedAt: string;
  elapsedMs: number;
  /** False when any source is `error` or `runtime error`. */
  success: boolean;
  results: FreshnessResult[];
}

export interface FreshnessOptions {
  select?: string[];
  exclude?: string[];
  threads?: number;
  events: EventBus;
  /** Skip writing target/sources.json. */
  writeArtifacts?: boolean;
}

/**
 * `source freshness`: for every selected source table with thresholds and a `loaded_at_field`,
 * queries `max(loaded_at_field)`, compares its age with `warn_after` / `error_after`, reports each
 * table as a `node_finished` event and writes target/sources.json. Throws only for problems that
 * stop the whole task (bad thresholds, bad selector, locked warehouse).
 *
 * @example
 * const results = await checkSourceFreshness(project, { select: ['source:raw'], events: new EventBus() });
 * // per table: select max("_loaded_at") as max_loaded_at, now() as snapshotted_at from "raw"."orders"
 * results.results[0]; // → { uniqueId: 'source.staging.raw.orders', status: 'warn', ageSeconds: 108000, message: 'age 30.0 h, warn after 24 h, error after 48 h', … }
 */
export async function checkSourceFreshness(
  project: ParsedProject,
  options: FreshnessOptions,
): Promise<FreshnessResults> {
  const started = performance.now();
  const { events } = options;
  const sources = selectSources(project, options);
  const checks: { source: ProjectNode; criteria: FreshnessCriteria }[] = [];
  const errors: ShopsmartError[] = [];
  for (const source of sources) {
    const { criteria, errors: problems } = freshnessCriteria(source);
    errors.push(...problems);
    if (criteria) checks.push({ source, criteria });
  }
  throwIfAny(errors);

  const threads = options.threads ?? project.target.threads;
  const command = 'source freshness';
  events.emit({
    kind: 'run_started',
    command,
    invocationId: project.invocationId,
    target: project.target.name,
    nodeCount: checks.length,
    threads,
  });
  const adapter = await openWarehouse(project.target, {
    threads,
    command,
    invocationId: project.invocationId,
    onWait: (wait) => options.events.emit({ kind: 'warehouse_wait', ...wait }),
  });
  let index = 0;
  let results: FreshnessResult[];
  try {
    results = await Promise.all(
      checks.map(({ source, criteria }) =>
        adapter.withConnection(async (connection) => {
          const position = ++index;
          const t0 = performance.now();
          events.emit({
            kind: 'node_started',
            uniqueId: source.uniqueId,
            resourceType: 'source',
            name: `${source.sourceName}.${source.name}`,
            index: position,
            total: checks.length,
          });
          const result = await checkOne(source, criteria, adapter.sql, (sql) =>
            adapter.query(sql, connection),
          );
          result.executionMs = performance.now() - t0;
          events.emit({
            kind: 'node_finished',
            uniqueId: source.uniqueId,
            resourceType: 'source',
            name: `${source.sourceName}.${source.name}`,
            index: position,
            total: checks.length,
            status: result.status as NodeStatus,
            relation: result.relation,
            message: result.message,
            executionMs: result.executionMs,
          });
          return result;
        }),
      ),
    );
  } finally {
    await adapter.close();
  }
  const elapsedMs = performance.now() - started;
  const success = results.every((r) => r.status === 'pass' || r.status === 'warn');
  const outcome: FreshnessResults = {
    invocationId: project.invocationId,
    generatedAt: new Date().toISOString(),
    elapsedMs,
    success,
    results,
  };
  if (options.writeArtifacts !== false) writeSourcesArtifact(project.definition.targetPath, outcome);
  const counts: Partial<Record<NodeStatus, number>> = {};
  for (const result of results)
    counts[result.status as NodeStatus] = (counts[result.status as NodeStatus] ?? 0) + 1;
  events.emit({ kind: 'run_finished', command, success, elapsedMs, counts });
  return outcome;
}

/** The selected source nodes, in graph order (all sources when nothing is selected). */
function selectSources(project: ParsedProject, options: FreshnessOptions): ProjectNode[] {
  const { manifest } = project;
  const { graph, errors } = buildGraph([
    ...Object.values(manifest.nodes),
    ...Object.values(manifest.sources),
    ...Object.values(manifest.exposures),
  ]);
  throwIfAny(errors);
  const { selected, warnings } = selectNodes(graph, { select: options.select, exclude: options.exclude });
  for (const warning of warnings) options.events.emit({ kind: 'warning', message: warning });
  return [...selected]
    .map((id) => manifest.sources[id])
    .filter((node): node is ProjectNode => node !== undefined);
}

async function checkOne(
  source: ProjectNode,
  criteria: FreshnessCriteria,
  dialect: SqlDialect,
  query: (sql: string) => Promise<Record<string, unknown>[]>,
): Promise<FreshnessResult> {
  const relation = source.relation ?? { schema: source.sourceName ?? '', identifier: source.name };
  const base = {
    uniqueId: source.uniqueId,
    sourceName: source.sourceName ?? '',
    name: source.name,
    relation: `${relation.schema}.${relation.identifier}`,
    criteria,
    executionMs: 0,
  };
  const failed = (error: ShopsmartError): FreshnessResult => ({
    ...base,
    status: 'runtime error',
    message: error.message,
    error: { code: error.code, message: error.message, hint: error.hint },
  });
  let row: Record<string, unknown> | undefined;
  try {
    [row] = await query(freshnessSql(dialect, relation, source.loadedAtField as string, criteria.filter));
  } catch (error) {
    if (error instanceof ShopsmartError) return failed(error);
    throw error;
  }
  const maxMs = row?.max_loaded_at_ms;
  const snapshotMs = Number(row?.snapshotted_at_ms);
  if (maxMs === null || maxMs === undefined) {
    return failed(
      new ShopsmartError('SSA-FRESH-004', `max(${source.loadedAtField}) of ${base.relation} is null`, {
        hint: criteria.filter
          ? 'the table has no rows matching the freshness filter, or the column is empty'
          : 'the table is empty, or the column holds only nulls',
      }),
    );
  }
  const ageSeconds = (snapshotMs - Number(maxMs)) / 1000;
  return {
    ...base,
    status: freshnessStatus(ageSeconds, criteria),
    maxLoadedAt: new Date(Number(maxMs)).toISOString(),
    snapshottedAt: new Date(snapshotMs).toISOString(),
    ageSeconds,
    message: freshnessMessage(ageSeconds, criteria),
  };
}
