import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

/**
 * A dbt project configuring seeds, snapshots and tests only from dbt_project.yml, the way public
 * projects do (top-level `+schema`, folder and per-node keys).
 */
const projectFiles = (dbtProject: string): Record<string, string> => ({
  'dbt_project.yml': dbtProject,
  'seeds/plans.csv': 'plan_id,price\n1,9.99\n2,\n',
  'seeds/lookups/countries.csv': 'country_id,population\n001,5\n044,7\n',
  'seeds/lookups/_lookups.yml':
    'version: 2\nseeds:\n  - name: countries\n    config:\n      column_types: {population: bigint}\n',
  'seeds/old_plans.csv': 'plan_id\n1\n',
  // The shape of the bug report: a model reading the custom schema by name.
  'models/stg_plans.sql': 'select plan_id, price from main_raw.plans\n',
  'models/plan_history.sql': "select plan_id from {{ ref('snap_plans') }}\n",
  'models/_models.yml':
    'version: 2\nmodels:\n  - name: stg_plans\n    columns:\n      - name: price\n        data_tests: [not_null]\n',
  'snapshots/current/snap_plans.sql':
    "{% snapshot snap_plans %}\n{{ config(unique_key='plan_id', strategy='check', check_cols='all') }}\nselect * from {{ ref('plans') }}\n{% endsnapshot %}\n",
  'snapshots/legacy/snap_countries.sql':
    "{% snapshot snap_countries %}\n{{ config(unique_key='country_id', strategy='check', check_cols='all') }}\nselect * from {{ ref('countries') }}\n{% endsnapshot %}\n",
  'tests/no_free_plans.sql': "select * from {{ ref('stg_plans') }} where price = 0 or price is null\n",
});

const dbtProject = `name: fixture
profile: fixture

seeds:
  +schema: raw
  +tags: [raw_data]
  fixture:
    lookups:
      +column_types: {country_id: varchar}
      countries:
        +alias: country_codes
        +database: wh
    old_plans:
      +enabled: false

snapshots:
  +tags: [history]
  fixture:
    current:
      +schema: history
    legacy:
      +target_schema: snapshots
      +target_database: wh

data_tests:
  +store_failures: true
  +schema: audit
  fixture:
    +severity: warn
    +tags: [checked]
`;

describe('seeds, snapshots and tests configured in dbt_project.yml', () => {
  it('honour +schema, +database, +alias, +enabled, +tags, +column_types, +store_failures and +severity', async () => {
    const fx = writeFixture(projectFiles(dbtProject));
    fixtures.push(fx);
    // `seed` then `build`, as the report ran it: stg_plans names main_raw.plans instead of ref().
    // Two seeds create main_raw at once on two threads: one creates it, the other waits.
    expect((await loadAndRun(fx.dir, { command: 'seed' })).results.success).toBe(true);
    const { project, status, results } = await loadAndRun(fx.dir, { command: 'build' });
    const node = (id: string) => project.manifest.nodes[id];

    // Seeds: a top-level +schema goes through generate_schema_name → main_raw.
    expect(node('seed.fixture.plans')?.relation).toEqual({
      database: 'wh',
      schema: 'main_raw',
      identifier: 'plans',
    });
    expect(node('seed.fixture.countries')?.relation).toEqual({
      database: 'wh',
      schema: 'main_raw',
      identifier: 'country_codes',
    });
    expect(node('seed.fixture.plans')?.tags).toEqual(['raw_data']);
    expect(node('seed.fixture.old_plans')).toBeUndefined();
    expect(project.manifest.disabled).toContain('seed.fixture.old_plans');
    // dbt_project.yml's column_types and the YAML's are merged key by key.
    expect(node('seed.fixture.countries')?.config.column_types).toEqual({
      country_id: 'varchar',
      population: 'bigint',
    });

    // Snapshots: dbt 1.9 `schema` goes through generate_schema_name; legacy target_schema is used as written.
    expect(node('snapshot.fixture.snap_plans')?.relation).toEqual({
      database: 'wh',
      schema: 'main_history',
      identifier: 'snap_plans',
    });
    expect(node('snapshot.fixture.snap_countries')?.relation).toEqual({
      database: 'wh',
      schema: 'snapshots',
      identifier: 'snap_countries',
    });
    expect(node('snapshot.fixture.snap_plans')?.tags).toEqual(['history']);

    // Tests: severity, tags and stored failures from data_tests:, generic and singular alike.
    const tests = Object.values(project.manifest.nodes).filter((n) => n.resourceType === 'test');
    expect(
      tests.map((t) => [t.name, t.config.severity, t.config.store_failures, t.relation?.schema]).sort(),
    ).toEqual([
      ['no_free_plans', 'warn', true, 'main_audit'],
      ['not_null_stg_plans_price', 'warn', true, 'main_audit'],
    ]);
    expect(tests.every((t) => t.tags.includes('checked'))).toBe(true);

    expect(status).toEqual({
      plans: 'success',
      countries: 'success',
      stg_plans: 'success',
      snap_plans: 'success',
      snap_countries: 'success',
      plan_history: 'success',
      not_null_stg_plans_price: 'warn',
      no_free_plans: 'warn',
    });
    expect(results.success).toBe(true);

    const tables = await queryWarehouse(
      fx.warehouse,
      `select table_schema || '.' || table_name as relation from information_schema.tables
       where table_schema <> 'main' order by 1`,
    );
    expect(tables.map((t) => t.relation)).toEqual([
      'main_audit.no_free_plans',
      'main_audit.not_null_stg_plans_price',
      'main_history.snap_plans',
      'main_raw.country_codes',
      'main_raw.plans',
      'snapshots.snap_countries',
    ]);
    expect(
      await queryWarehouse(
        fx.warehouse,
        "select column_name, data_type from information_schema.columns where table_name = 'country_codes' order by ordinal_position",
      ),
    ).toEqual([
      { column_name: 'country_id', data_type: 'VARCHAR' },
      { column_name: 'population', data_type: 'BIGINT' },
    ]);
    // varchar kept the leading zeros a number would have dropped.
    expect(
      await queryWarehouse(fx.warehouse, 'select country_id from snapshots.snap_countries order by 1'),
    ).toEqual([{ country_id: '001' }, { country_id: '044' }]);
    expect(
      await queryWarehouse(fx.warehouse, 'select count(*)::integer as n from main_audit.no_free_plans'),
    ).toEqual([{ n: 1 }]);
    expect(
      await queryWarehouse(fx.warehouse, 'select count(*)::integer as n from main.plan_history'),
    ).toEqual([{ n: 2 }]);
  });

  it("a project's generate_schema_name macro decides every resource's schema", async () => {
    const fx = writeFixture({
      ...projectFiles(dbtProject),
      // The common override: a custom schema is used as written, without the target prefix.
      'macros/generate_schema_name.sql':
        '{% macro generate_schema_name(custom_schema_name, node) -%}\n{{ custom_schema_name | trim if custom_schema_name else target.schema }}\n{%- endmacro %}\n',
      'models/stg_plans.sql': 'select plan_id, price from raw.plans\n',
    });
    fixtures.push(fx);
    expect((await loadAndRun(fx.dir, { command: 'seed' })).results.success).toBe(true);
    const { project, status } = await loadAndRun(fx.dir, { command: 'build' });
    const schemaOf = (id: string) => project.manifest.nodes[id]?.relation?.schema;
    expect(schemaOf('seed.fixture.plans')).toBe('raw');
    expect(schemaOf('snapshot.fixture.snap_plans')).toBe('history');
    expect(schemaOf('snapshot.fixture.snap_countries')).toBe('snapshots');
    expect(schemaOf('model.fixture.stg_plans')).toBe('main');
    const test = Object.values(project.manifest.nodes).find((n) => n.name === 'no_free_plans');
    expect(test?.relation?.schema).toBe('audit');
    expect(status.stg_plans).toBe('success');
    expect(
      await queryWarehouse(fx.warehouse, 'select count(*)::integer as n from audit.no_free_plans'),
    ).toEqual([{ n: 1 }]);
  });

  it('shopsmart.yml root trees configure every layer the same way', async () => {
    const fx = writeFixture(
      {
        'shopsmart.yml': [
          'name: layered',
          'layers:',
          '  - name: shop',
          '    path: shop',
          'targets:',
          `  dev: {path: ${'wh.duckdb'}}`,
          'seeds:',
          '  +schema: raw',
          'data_tests:',
          '  +severity: warn',
          '',
        ].join('\n'),
        'shop/seeds/plans.csv': 'plan_id\n1\n1\n',
        'shop/seeds/_seeds.yml':
          'version: 2\nseeds:\n  - name: plans\n    columns:\n      - name: plan_id\n        data_tests: [unique]\n',
        'shop/models/plan_count.sql': 'select count(*) as n from main_raw.plans\n',
      },
      { bare: true },
    );
    fixtures.push(fx);
    expect((await loadAndRun(fx.dir, { command: 'seed' })).results.success).toBe(true);
    const { project, status } = await loadAndRun(fx.dir, { command: 'build' });
    expect(project.manifest.nodes['seed.shop.plans']?.relation?.schema).toBe('main_raw');
    expect(status).toEqual({ plans: 'success', unique_plans_plan_id: 'warn', plan_count: 'success' });
  });
});
