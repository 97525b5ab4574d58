import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  type BadInputCase,
  baseFiles,
  buildBase,
  checkCase,
  type WarehouseShape,
} from './bad-input-harness.js';

const models = (yaml: string) => ({ 'models/_models.yml': `version: 2\nmodels:\n${yaml}` });
const project = (extra: string) => ({ 'dbt_project.yml': `${baseFiles['dbt_project.yml']}${extra}` });
const profile = (dev: string) => ({
  'profiles.yml': `shop:\n  target: dev\n  outputs:\n    dev:\n${dev}`,
});

const cases: BadInputCase[] = [
  {
    name: 'YAML: tab indentation',
    files: models('  - name: stg_customers\n\tcolumns: []\n'),
    args: ['build'],
    code: 2,
    says: ['models/_models.yml:4', 'invalid YAML'],
  },
  {
    name: 'YAML: unclosed bracket',
    files: models('  - name: stg_customers\n    tags: [a, b\n'),
    args: ['build'],
    code: 2,
    says: ['models/_models.yml', 'invalid YAML'],
  },
  {
    name: 'YAML: duplicate key',
    files: models('  - name: stg_customers\n    description: a\n    description: b\n'),
    args: ['build'],
    code: 2,
    says: ['models/_models.yml:5'],
  },
  {
    name: 'YAML: models is not a list',
    files: { 'models/_models.yml': 'version: 2\nmodels:\n  name: stg_customers\n' },
    args: ['build'],
    code: 2,
    says: ['models/_models.yml:3'],
  },
  {
    // dbt warns about a patch without a node and goes on; so do we.
    name: 'YAML: entry for a model that does not exist (a warning, as in dbt)',
    files: models('  - name: stg_customer\n'),
    args: ['build'],
    code: 0,
    says: ['models/_models.yml:3', "'stg_customer'"],
  },
  {
    name: 'YAML: test name misspelt',
    files: models(
      '  - name: stg_customers\n    columns:\n      - name: customer_id\n        data_tests: [uniqe]\n',
    ),
    args: ['build'],
    code: 2,
    says: ['models/_models.yml:6', "test 'uniqe'", "did you mean 'test_unique'?"],
  },
  {
    name: 'YAML: relationships without to',
    files: models(
      '  - name: stg_customers\n    columns:\n      - name: customer_id\n        data_tests:\n          - relationships:\n              field: id\n',
    ),
    args: ['build'],
    code: 2,
    says: ['models/_models.yml:7', "missing argument 'to'", 'test_relationships'],
  },
  {
    name: 'YAML: accepted_values without values',
    files: models(
      '  - name: stg_customers\n    columns:\n      - name: name\n        data_tests:\n          - accepted_values:\n              quote: true\n',
    ),
    args: ['build'],
    code: 2,
    says: ['models/_models.yml:7', "'values'"],
  },
  {
    name: 'YAML: unknown source in a model',
    files: { 'models/stg_customers.sql': "select * from {{ source('raw', 'customer') }}\n" },
    args: ['build'],
    code: 2,
    says: ['models/stg_customers.sql', "'customer'"],
  },
  {
    name: 'YAML: unknown source name',
    files: { 'models/stg_customers.sql': "select * from {{ source('rwa', 'customers') }}\n" },
    args: ['build'],
    code: 2,
    says: ['models/stg_customers.sql', 'rwa'],
  },
  {
    name: 'dbt_project.yml: invalid YAML',
    files: { 'dbt_project.yml': 'name: shop\nprofile: [shop\n' },
    args: ['build'],
    code: 2,
    says: ['dbt_project.yml', 'invalid YAML'],
  },
  {
    name: 'dbt_project.yml: unknown key warns with did-you-mean',
    files: project('model-path: [models]\n'),
    args: ['run', '-s', 'stg_customers'],
    code: 0,
    says: ['dbt_project.yml:4', "'model-path'", "did you mean 'model-paths'?"],
  },
  {
    name: 'dbt_project.yml: unknown key under build',
    files: project('seed-path: [seeds]\n'),
    args: ['build'],
    code: 0,
    says: ["'seed-path'", "'seed-paths'"],
  },
  {
    name: 'dbt_project.yml: models is not a mapping',
    files: project('models: 3\n'),
    args: ['build'],
    code: 2,
    says: ['dbt_project.yml:4', "'models' must be a mapping"],
  },
  {
    name: 'dbt_project.yml: missing env var',
    files: project(
      'vars:\n  x: "{{ env_var(\'SSA_BAD_INPUT_UNSET\') }}"\nmodels:\n  +schema: "{{ env_var(\'SSA_BAD_INPUT_UNSET\') }}"\n',
    ),
    args: ['build'],
    code: 2,
    says: ['dbt_project.yml', 'SSA_BAD_INPUT_UNSET'],
  },
  {
    name: 'profiles.yml missing',
    files: { 'profiles.yml': null },
    args: ['build'],
    code: 2,
    says: ["could not find profile named 'shop'", '(the project folder)', '~/.dbt'],
    env: { HOME: '/nonexistent-home' },
  },
  {
    name: 'profiles.yml missing in --profiles-dir',
    args: ['build', '--profiles-dir', '$DIR/nowhere'],
    code: 2,
    says: ["profile named 'shop'", '$DIR/nowhere (--profiles-dir)'],
  },
  {
    name: 'profiles.yml missing in DBT_PROFILES_DIR',
    args: ['build'],
    env: { DBT_PROFILES_DIR: '/nonexistent-profiles' },
    code: 2,
    says: ['/nonexistent-profiles (DBT_PROFILES_DIR)'],
  },
  {
    name: 'profile not in profiles.yml',
    files: { 'profiles.yml': 'other:\n  target: dev\n  outputs: {}\n' },
    args: ['build'],
    code: 2,
    says: ["profile 'shop'", 'profiles found: other'],
  },
  {
    name: 'profile: default target not defined',
    files: {
      'profiles.yml':
        'shop:\n  target: prod\n  outputs:\n    dev:\n      type: duckdb\n      path: wh.duckdb\n',
    },
    args: ['build'],
    code: 2,
    says: ['profiles.yml:2', "'prod'"],
  },
  {
    name: 'profile: unknown --target',
    args: ['build', '--target', 'prdo'],
    code: 2,
    says: ["target 'prdo'"],
  },
  {
    name: 'profile: threads is not a number',
    files: profile('      type: duckdb\n      path: wh.duckdb\n      threads: many\n'),
    args: ['build'],
    code: 2,
    says: ['profiles.yml:7', 'threads'],
  },
  {
    name: 'profile: unknown adapter type',
    files: profile('      type: snowflake\n      path: wh.duckdb\n'),
    args: ['build'],
    code: 2,
    says: ['snowflake'],
  },
  {
    name: 'profile: unset env_var in the path',
    files: profile('      type: duckdb\n      path: "{{ env_var(\'SSA_BAD_INPUT_NO_PATH\') }}"\n'),
    args: ['build'],
    code: 2,
    says: ['profiles.yml:6', 'SSA_BAD_INPUT_NO_PATH'],
  },
  {
    name: 'no project in the folder',
    files: { 'dbt_project.yml': null },
    args: ['build'],
    code: 2,
    says: ['no shopsmart.yml or dbt_project.yml'],
  },
  { name: '--vars is not YAML', args: ['build', '--vars', '{a: [1'], code: 2, says: ['--vars'] },
];

let base: { dir: string; shape: WarehouseShape };
beforeAll(async () => {
  base = await buildBase();
});
afterAll(() => rmSync(base.dir, { recursive: true, force: true }));

describe.concurrent('bad YAML and configuration: exit code, file:line or key named, no stack, warehouse unchanged', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => checkCase(base, c));
});
