import { defineLayer } from '@shopsmart/core-runner';

/**
 * The `quality` layer: the generic tests and utility macros every layer uses. They also answer to
 * the package names `dbt_utils.` and `dbt_expectations.`, so YAML and SQL copied from dbt
 * documentation (`- dbt_utils.accepted_range: {min_value: 0}`, `{{ dbt_utils.star(...) }}`) work.
 */
export const layer = defineLayer({
  name: 'quality',
  root: new URL('..', import.meta.url),
  dependencies: [],
  packageAliases: ['dbt_utils', 'dbt_expectations'],
});
