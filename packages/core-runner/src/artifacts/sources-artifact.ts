import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scrubSecretsDeep } from '../secret-scrubber.js';
import type { FreshnessCriteria } from '../tasks/freshness-criteria.js';
import type { FreshnessResults } from '../tasks/freshness-task.js';

const criteriaOf = (criteria: FreshnessCriteria) => ({
  warn_after: criteria.warnAfter
    ? { count: criteria.warnAfter.count, period: criteria.warnAfter.period }
    : { count: null, period: null },
  error_after: criteria.errorAfter
    ? { count: criteria.errorAfter.count, period: criteria.errorAfter.period }
    : { count: null, period: null },
  filter: criteria.filter ?? null,
});

/**
 * sources.json in dbt's shape (schema v3): one result per source table; a table whose query
 * failed is `{ unique_id, error, status: 'runtime error' }`, as in dbt.
 *
 * @example
 * sourcesArtifact(results).results[0]
 * // → { unique_id: 'source.staging.raw.orders', max_loaded_at: '2026-01-31T09:00:00.000Z', snapshotted_at: '2026-01-31T10:00:00.000Z',
 * //     max_loaded_at_time_ago_in_s: 3600, status: 'pass', criteria: { warn_after: { count: 24, period: 'hour' }, … }, … }
 */
export function sourcesArtifact(results: FreshnessResults): Record<string, unknown> {
  return {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/sources/v3.json',
      generator: '@shopsmart/core-runner',
      generated_at: results.generatedAt,
      invocation_id: results.invocationId,
      env: {},
    },
    results: results.results.map((r) =>
      r.status === 'runtime error'
        ? { unique_id: r.uniqueId, error: r.message, status: r.status }
        : {
            unique_id: r.uniqueId,
            max_loaded_at: r.maxLoadedAt,
            snapshotted_at: r.snapshottedAt,
            max_loaded_at_time_ago_in_s: r.ageSeconds,
            status: r.status,
            criteria: criteriaOf(r.criteria),
            adapter_response: {},
            timing: [],
            thread_id: 'main',
            execution_time: r.executionMs / 1000,
          },
    ),
    elapsed_time: results.elapsedMs / 1000,
  };
}

/** Writes `<targetPath>/sources.json`. */
export function writeSourcesArtifact(targetPath: string, results: FreshnessResults): void {
  mkdirSync(targetPath, { recursive: true });
  writeFileSync(
    join(targetPath, 'sources.json'),
    `${JSON.stringify(scrubSecretsDeep(sourcesArtifact(results)), null, 2)}\n`,
  );
}
