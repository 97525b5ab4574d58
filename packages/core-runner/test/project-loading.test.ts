import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParsedProject, type ProjectNode, SqlCompiler } from '../src/index.js';
import {
  caught,
  type Fixture,
  loadAndRun,
  loadFixture,
  queryWarehouse,
  writeFixture,
} from './fixture-project.js';

/** A plain dbt project exercising the config hierarchy, sources, vars and env vars. */
const shopFiles = {
  'dbt_project.yml': `name: shop
profile: shop
vars:
  min_amount: 10
  shop:
    scoped_var: scoped-value
models:
  shop:
    +materialized: view
    staging:
      +schema: stg
      +tags: [staging]
    marts:
      +materialized: table
      +tags: [marts]
      finance:
        +schema: fin
        +tags: [finance]
    legacy:
      +enabled: false
`,
  'models/staging/_staging__sources.yml': `version: 2
sources:
  - name: raw
    schema: raw_data
    tables:
      - name: orders
        identifier: orders_v1
`,
  'models/staging/stg_orders.sql': `select order_id, amount from {{ source('raw', 'orders') }}\n`,
  'models/marts/_marts__models.yml': `version: 2
models:
  - name: fct_orders
    description: one row per order
    config:
      materialized: view
      tags: [yaml]
  - name: dim_customers
    config:
      materialized: view
      alias: customers
  - name: switched_off
    config:
      enabled: false
`,
  'models/marts/fct_orders.sql': `{{ config(materialized='incremental', unique_key='order_id', tags=['infile']) }}
select * from {{ ref('stg_orders') }}
`,
  'models/marts/dim_customers.sql': `select 1 as customer_id\n`,
  'models/marts/switched_off.sql': `select 1 as x\n`,
  'models/marts/finance/revenue.sql': `select sum(amount) as revenue from {{ ref('shop', 'fct_orders') }}\n`,
  'models/legacy/old_model.sql': `select 1 as x\n`,
  'models/vars_demo.sql': `select
    {{ var('min_amount') }} as min_amount,
    '{{ var('start_date', '2020-01-01') }}' as start_date,
    '{{ var('scoped_var') }}' as scoped,
    '{{ env_var('SSA_FIXTURE_REGION') }}' as region,
    '{{ env_var('SSA_FIXTURE_UNSET_VAR', 'fallback') }}' as other_region,
    '{{ target.name }}' as target_name,
    '{{ this.identifier }}' as own_name
`,
};

const node = (project: ParsedProject, id: string): ProjectNode => {
  const found = project.manifest.nodes[id];
  if (!found) throw new Error(`${id} missing; nodes: ${Object.keys(project.manifest.nodes).join(', ')}`);
  return found;
};

describe('loading a plain dbt project', () => {
  let fx: Fixture;
  let project: ParsedProject;

  beforeAll(async () => {
    process.env.SSA_FIXTURE_REGION = 'eu-west';
    fx = writeFixture(shopFiles, { name: 'shop' });
    project = await loadFixture(fx.dir);
  });
  afterAll(() => {
    delete process.env.SSA_FIXTURE_REGION;
    fx.remove();
  });

  it('applies folder-level +materialized, +schema and +tags from dbt_project.yml', () => {
    const stg = node(project, 'model.shop.stg_orders');
    expect(stg.config.materialized).toBe('view');
    expect(stg.relation).toEqual({ database: 'wh', schema: 'main_stg', identifier: 'stg_orders' });
    expect(stg.tags).toEqual(['staging']);
    const revenue = node(project, 'model.shop.revenue');
    expect(revenue.config.materialized).toBe('table');
    expect(revenue.relation).toEqual({ database: 'wh', schema: 'main_fin', identifier: 'revenue' });
    expect(revenue.tags).toEqual(['marts', 'finance']);
    expect(revenue.fqn).toEqual(['shop', 'marts', 'finance', 'revenue']);
    expect(node(project, 'model.shop.vars_demo').config.materialized).toBe('view');
  });

  it('+enabled: false in a folder and enabled: false in YAML leave the model out of the graph', () => {
    expect(project.manifest.nodes['model.shop.old_model']).toBeUndefined();
    expect(project.manifest.nodes['model.shop.switched_off']).toBeUndefined();
    expect(project.manifest.disabled).toEqual(
      expect.arrayContaining(['model.shop.old_model', 'model.shop.switched_off']),
    );
  });

  it('YAML config overrides the folder config; in-file config() overrides YAML; tags accumulate', () => {
    const dim = node(project, 'model.shop.dim_customers');
    expect(dim.config.materialized).toBe('view');
    expect(dim.relation).toEqual({ database: 'wh', schema: 'main', identifier: 'customers' });
    expect(dim.tags).toEqual(['marts']);
    const fct = node(project, 'model.shop.fct_orders');
    expect(fct.config.materialized).toBe('incremental');
    expect(fct.config.unique_key).toBe('order_id');
    expect([...fct.tags].sort()).toEqual(['infile', 'marts', 'yaml']);
    expect(fct.description).toBe('one row per order');
  });

  it('resolves source() to its schema and identifier, ref() and ref(package, model) to relations', () => {
    const compiler = new SqlCompiler(project);
    expect(compiler.compile('model.shop.stg_orders')).toContain('from "wh"."raw_data"."orders_v1"');
    expect(compiler.compile('model.shop.fct_orders')).toContain('from "wh"."main_stg"."stg_orders"');
    expect(compiler.compile('model.shop.revenue')).toContain('from "wh"."main"."fct_orders"');
    expect(node(project, 'model.shop.stg_orders').dependsOn).toEqual(['source.shop.raw.orders']);
    expect(node(project, 'model.shop.revenue').dependsOn).toEqual(['model.shop.fct_orders']);
    expect(project.manifest.childMap['model.shop.fct_orders']).toContain('model.shop.revenue');
  });

  it('var() takes dbt_project.yml vars (global and scoped), falls back to the default, and env_var reads the environment', () => {
    const sql = new SqlCompiler(project).compile('model.shop.vars_demo');
    expect(sql).toContain('10 as min_amount');
    expect(sql).toContain(`'2020-01-01' as start_date`);
    expect(sql).toContain(`'scoped-value' as scoped`);
    expect(sql).toContain(`'eu-west' as region`);
    expect(sql).toContain(`'fallback' as other_region`);
    expect(sql).toContain(`'dev' as target_name`);
    expect(sql).toContain(`'vars_demo' as own_name`);
  });

  it('--vars override project vars and call defaults, and the run sees the overridden values', async () => {
    const withVars = await loadFixture(fx.dir, { min_amount: 99, start_date: '2024-06-01' });
    const sql = new SqlCompiler(withVars).compile('model.shop.vars_demo');
    expect(sql).toContain('99 as min_amount');
    expect(sql).toContain(`'2024-06-01' as start_date`);
    const { results } = await loadAndRun(
      fx.dir,
      { command: 'run', select: ['vars_demo'] },
      { min_amount: 99 },
    );
    expect(results.success).toBe(true);
    const rows = await queryWarehouse(
      fx.warehouse,
      'select min_amount, region, start_date from main.vars_demo',
    );
    expect(rows).toEqual([{ min_amount: 99, region: 'eu-west', start_date: '2020-01-01' }]);
  });
});

describe('schema naming', () => {
  it('uses <target schema>_<custom> by default, with the profile schema as the base', async () => {
    const fx = writeFixture(
      {
        'dbt_project.yml': 'name: s\nprofile: s\nmodels:\n  s:\n    staging:\n      +schema: stg\n',
        'models/staging/a.sql': 'select 1 as x\n',
        'models/b.sql': `{{ config(schema='reporting') }}\nselect * from {{ ref('a') }}\n`,
        'models/c.sql': 'select 1 as x\n',
      },
      { name: 's', schema: 'analytics' },
    );
    try {
      const project = await loadFixture(fx.dir);
      expect(node(project, 'model.s.a').relation?.schema).toBe('analytics_stg');
      expect(node(project, 'model.s.b').relation?.schema).toBe('analytics_reporting');
      expect(node(project, 'model.s.c').relation?.schema).toBe('analytics');
      expect(new SqlCompiler(project).compile('model.s.b')).toContain('from "wh"."analytics_stg"."a"');
    } finally {
      fx.remove();
    }
  });

  it('a project macro generate_schema_name replaces the default naming, as in dbt', async () => {
    const fx = writeFixture(
      {
        'dbt_project.yml': 'name: s\nprofile: s\nmodels:\n  s:\n    staging:\n      +schema: stg\n',
        'macros/generate_schema_name.sql': `{% macro generate_schema_name(custom_schema_name, node) -%}
  {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
`,
        'models/staging/a.sql': 'select 1 as x\n',
        'models/c.sql': 'select * from {{ ref("a") }}\n',
      },
      { name: 's' },
    );
    try {
      const project = await loadFixture(fx.dir);
      expect(node(project, 'model.s.a').relation).toEqual({ database: 'wh', schema: 'stg', identifier: 'a' });
      expect(node(project, 'model.s.c').relation).toEqual({
        database: 'wh',
        schema: 'main',
        identifier: 'c',
      });
      const { results } = await loadAndRun(fx.dir, { command: 'run' });
      expect(results.success).toBe(true);
      expect(await queryWarehouse(fx.warehouse, 'select x from stg.a')).toEqual([{ x: 1 }]);
    } finally {
      fx.remove();
    }
  });
});

describe('parse-time errors in user input', () => {
  it('an undefined var without a default is an error naming the file, with a did-you-mean', async () => {
    const fx = writeFixture({
      'dbt_project.yml': 'name: fixture\nprofile: fixture\nvars:\n  min_amount: 1\n',
      'models/a.sql': `select {{ var('min_amout') }} as x\n`,
    });
    try {
      const error = await caught(() => loadFixture(fx.dir));
      expect(error.code).toBe('SSA-VAR-404');
      expect(error.file).toBe('models/a.sql');
      expect(String(error.hint)).toContain('min_amount');
    } finally {
      fx.remove();
    }
  });

  it('an unset env_var without a default is an error naming the variable', async () => {
    const fx = writeFixture({ 'models/a.sql': `select '{{ env_var('SSA_DEFINITELY_UNSET') }}' as x\n` });
    try {
      const error = await caught(() => loadFixture(fx.dir));
      expect(error.code).toBe('SSA-ENV-404');
      expect(error.message).toContain('SSA_DEFINITELY_UNSET');
      expect(error.file).toBe('models/a.sql');
    } finally {
      fx.remove();
    }
  });

  it('exceptions.raise_compiler_error stops parsing with the message and the file', async () => {
    const fx = writeFixture({
      'models/a.sql': `{% if var('mode', 'x') != 'y' %}{{ exceptions.raise_compiler_error('mode must be y') }}{% endif %}\nselect 1 as x\n`,
    });
    try {
      const error = await caught(() => loadFixture(fx.dir));
      expect(error.code).toBe('SSA-JINJA-003');
      expect(error.message).toContain('mode must be y');
      expect(error.file).toBe('models/a.sql');
    } finally {
      fx.remove();
    }
  });

  it('a Jinja syntax error names the file and the line', async () => {
    const fx = writeFixture({
      'models/a.sql': `select 1 as x,\n  2 as y,\n  {{ ref('b' }} as z\n`,
      'models/b.sql': 'select 1 as x\n',
    });
    try {
      const error = await caught(() => loadFixture(fx.dir));
      expect(error.code).toBe('SSA-JINJA-001');
      expect(error.file).toBe('models/a.sql');
      expect(error.line).toBe(3);
    } finally {
      fx.remove();
    }
  });
});
