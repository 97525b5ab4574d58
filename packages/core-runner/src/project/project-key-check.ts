import { ShopsmartError } from '../errors.js';
import { didYouMean, formatSuggestions } from '../graph/did-you-mean.js';

/** The top-level keys of dbt_project.yml dbt 1.x knows (its project JSON schema and dbt-core's contract). */
export const dbtProjectKeys = [
  'name',
  'version',
  'config-version',
  'profile',
  'model-paths',
  'seed-paths',
  'test-paths',
  'analysis-paths',
  'macro-paths',
  'snapshot-paths',
  'docs-paths',
  'asset-paths',
  'function-paths',
  'target-path',
  'log-path',
  'packages-install-path',
  'clean-targets',
  'query-comment',
  'require-dbt-version',
  'models',
  'seeds',
  'snapshots',
  'sources',
  'tests',
  'data_tests',
  'unit_tests',
  'functions',
  'metrics',
  'semantic-models',
  'saved-queries',
  'exposures',
  'vars',
  'on-run-start',
  'on-run-end',
  'dispatch',
  'flags',
  'quoting',
  'restrict-access',
  'dbt-cloud',
];

/** shopsmart.yml: the project's own keys plus the dbt_project.yml ones it shares. */
export const shopsmartProjectKeys = [
  'name',
  'layers',
  'target',
  'targets',
  'target-path',
  'vars',
  'models',
  'seeds',
  'snapshots',
  'tests',
  'data_tests',
  'on-run-start',
  'on-run-end',
];

/**
 * Top-level keys a project file does not know, each named with its line and the closest known key.
 * dbt 1.10+ reports these as warnings (CustomTopLevelKeyDeprecation) rather than errors, and so do
 * we: a typo such as `model-path` is said out loud, yet a file written for a newer dbt still loads.
 *
 * @example
 * unknownKeys({ 'model-path': ['x'] }, dbtProjectKeys, 'dbt_project.yml', () => 3);
 * // → [SSA-PROJECT-013] dbt_project.yml:3: unexpected top-level key 'model-path' (hint: did you mean 'model-paths'?)
 */
export function unknownKeys(
  raw: unknown,
  known: readonly string[],
  file: string,
  lineOf: (path: (string | number)[]) => number | undefined,
): ShopsmartError[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [];
  return Object.keys(raw)
    .filter((key) => !known.includes(key))
    .map(
      (key) =>
        new ShopsmartError('SSA-PROJECT-013', `unexpected top-level key '${key}' (ignored)`, {
          file,
          line: lineOf([key]),
          hint: formatSuggestions(didYouMean(key, known)) ?? 'remove it, or put custom settings under vars:',
        }),
    );
}
