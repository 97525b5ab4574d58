import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParsedProject, SqlCompiler } from '../src/index.js';
import { type Fixture, loadFixture, queryWarehouse, runFixture, writeFixture } from './fixture-project.js';

/**
 * Compiled SQL checked against files in test/golden/. To accept a change on purpose, run
 * `UPDATE_GOLDEN=1 pnpm vitest run test/compiled-sql.test.ts`, read the diff, and commit it.
 */
const goldenDir = join(import.meta.dirname, 'golden');
const updating = process.env.UPDATE_GOLDEN === '1';

const files = {
  'dbt_project.yml': `name: jaffle
profile: jaffle
vars:
  first_order_date: '2024-01-01'
models:
  jaffle:
    staging:
      +materialized: view
      +schema: stg
    marts:
      +materialized: table
`,
  'macros/cents_to_dollars.sql': `{% macro cents_to_dollars(column, scale=2) -%}
round({{ column }} / 100.0, {{ scale }})
{%- endmacro %}
`,
  'seeds/raw_payments.csv': 'payment_id,order_id,amount_cents\n1,1,1000\n2,1,550\n3,2,2000\n4,3,125\n',
  'models/staging/_staging__sources.yml': `version: 2
sources:
  - name: shop
    schema: raw
    tables:
      - name: orders
`,
  'models/staging/stg_shop__orders.sql': `with

source as (
    select * from {{ source('shop', 'orders') }}
),

renamed as (
    select
        id as order_id,
        customer as customer_id,
        ordered_at::date as order_date,
    from source
    where ordered_at >= '{{ var("first_order_date") }}'
)

select * from renamed
`,
  'models/staging/stg_payments.sql': `select
    payment_id,
    order_id,
    {{ cents_to_dollars('amount_cents') }} as amount,
from {{ ref('raw_payments') }}
`,
  'models/intermediate/int_payments_by_order.sql': `{{ config(materialized='ephemeral') }}
select order_id, sum(amount) as paid_amount
from {{ ref('stg_payments') }}
group by order_id
`,
  'models/intermediate/int_orders_paid.sql': `{{ config(materialized='ephemeral') }}
select orders.*, payments.paid_amount
from {{ ref('stg_shop__orders') }} as orders
left join {{ ref('int_payments_by_order') }} as payments using (order_id)
`,
  'models/marts/fct_orders.sql': `{{ config(materialized='incremental', unique_key='order_id') }}
with

orders as (
    select * from {{ ref('int_orders_paid') }}
),

final as (
    select * from orders
    {% if is_incremental() %}
    where order_date > (select max(order_date) from {{ this }})
    {% endif %}
)

select * from final
`,
  'models/marts/order_count.sql': `select count(*) as n from {{ ref('int_orders_paid') }}\n`,
  'models/marts/_marts__models.yml': `version: 2
models:
  - name: fct_orders
    columns:
      - name: order_id
        data_tests:
          - unique
          - not_null:
              config:
                where: "order_date >= '2024-01-02'"
          - relationships:
              arguments:
                to: ref('stg_payments')
                field: order_id
`,
  'tests/assert_paid_amount_positive.sql': `select * from {{ ref('fct_orders') }} where paid_amount < 0\n`,
};

const goldenNodes = [
  'model.jaffle.stg_shop__orders',
  'model.jaffle.stg_payments',
  'model.jaffle.fct_orders',
  'model.jaffle.order_count',
  'test.jaffle.assert_paid_amount_positive',
];

describe('compiled SQL', () => {
  let fx: Fixture;
  let project: ParsedProject;
  let compiler: SqlCompiler;

  beforeAll(async () => {
    fx = writeFixture(files, { name: 'jaffle' });
    project = await loadFixture(fx.dir);
    compiler = new SqlCompiler(project);
  });
  afterAll(() => fx.remove());

  const generic = (prefix: string) => {
    const id = Object.keys(project.manifest.nodes).find((key) => key.startsWith(prefix));
    if (!id) throw new Error(`no node starting with ${prefix}`);
    return id;
  };

  it.each(goldenNodes)('%s matches its golden file', (uniqueId) => {
    const sql = compiler.compile(uniqueId);
    const file = join(goldenDir, `${uniqueId}.sql`);
    if (updating || !existsSync(file)) writeFileSync(file, sql);
    expect(sql).toBe(readFileSync(file, 'utf8'));
  });

  it.each([
    ['unique', 'test.jaffle.unique_fct_orders_order_id.'],
    ['not_null_where', 'test.jaffle.not_null_fct_orders_order_id.'],
    ['relationships', 'test.jaffle.relationships_fct_orders_order_id__'],
  ])('generic test %s matches its golden file', (name, prefix) => {
    const sql = compiler.compile(generic(prefix));
    const file = join(goldenDir, `test.jaffle.${name}.sql`);
    if (updating || !existsSync(file)) writeFileSync(file, sql);
    expect(sql).toBe(readFileSync(file, 'utf8'));
  });

  it('inlines nested ephemerals as CTEs, deepest first, each once, merged into a leading with', () => {
    const sql = compiler.compile('model.jaffle.fct_orders');
    const payments = sql.indexOf('__dbt__cte__int_payments_by_order as (');
    const paid = sql.indexOf('__dbt__cte__int_orders_paid as (');
    expect(payments).toBeGreaterThanOrEqual(0);
    expect(paid).toBeGreaterThan(payments);
    expect(sql.split('__dbt__cte__int_payments_by_order as (').length).toBe(2);
    expect(sql.trimStart().startsWith('with')).toBe(true);
    expect(sql.match(/^\s*with\b/gim)?.length).toBe(1);
    expect(sql).not.toContain('{{');
  });

  it('the compiled SQL runs on DuckDB and gives the expected rows', async () => {
    fx.write({
      'dbt_project.yml': `${files['dbt_project.yml']}on-run-start:
  - "create schema if not exists raw"
  - "create or replace table raw.orders as select * from (values (1, 10, timestamp '2024-01-01 10:00'), (2, 11, timestamp '2024-01-02 09:00'), (3, 10, timestamp '2024-01-03 08:00'), (4, 12, timestamp '2023-12-31 23:00')) t(id, customer, ordered_at)"
`,
    });
    const withRaw = await loadFixture(fx.dir);
    const { results } = await runFixture(withRaw, { command: 'build' });
    expect(results.results.filter((r) => r.status !== 'success' && r.status !== 'pass')).toEqual([]);
    expect(results.results.filter((r) => r.status === 'pass')).toHaveLength(4);
    expect(
      await queryWarehouse(
        fx.warehouse,
        'select order_id, customer_id, paid_amount from main.fct_orders order by 1',
      ),
    ).toEqual([
      { order_id: 1, customer_id: 10, paid_amount: 15.5 },
      { order_id: 2, customer_id: 11, paid_amount: 20 },
      { order_id: 3, customer_id: 10, paid_amount: 1.25 },
    ]);
    expect(await queryWarehouse(fx.warehouse, 'select n from main.order_count')).toEqual([{ n: 3 }]);
  });
});
