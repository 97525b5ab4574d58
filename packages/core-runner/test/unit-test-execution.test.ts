import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

const project = {
  'seeds/orders.csv': 'order_id,customer_id,amount,status\n1,10,5.00,delivered\n2,10,7.50,returned\n',
  'models/customer_totals.sql': `select customer_id, sum(amount) filter (where status = 'delivered') as delivered_total, count(*) as order_count
from {{ ref('orders') }}
{% if var('only_big', false) %}where amount > 6{% endif %}
group by customer_id`,
  'models/orders_incremental.sql': `{{ config(materialized='incremental', unique_key='order_id') }}
select order_id, amount from {{ ref('orders') }}
{% if is_incremental() %}where order_id > (select max(order_id) from {{ this }}){% endif %}`,
};

const unitTests = (expectTotal: number) => `version: 2
unit_tests:
  - name: sums_only_delivered_orders
    model: customer_totals
    given:
      - input: ref('orders')
        rows:
          - {order_id: 1, customer_id: 1, amount: 10.25, status: delivered}
          - {order_id: 2, customer_id: 1, amount: 99, status: returned}
          - {order_id: 3, customer_id: 2, amount: 4, status: delivered}
    expect:
      rows:
        - {customer_id: 1, delivered_total: ${expectTotal}, order_count: 2}
        - {customer_id: 2, delivered_total: 4, order_count: 1}
  - name: var_override_filters
    model: customer_totals
    overrides:
      vars: {only_big: true}
    given:
      - input: ref('orders')
        format: csv
        rows: |
          order_id,customer_id,amount,status
          1,1,10,delivered
          2,1,3,delivered
    expect:
      rows:
        - {customer_id: 1, delivered_total: 10, order_count: 1}
  - name: incremental_reads_only_new_rows
    model: orders_incremental
    overrides:
      macros: {is_incremental: true}
    given:
      - input: ref('orders')
        rows: [{order_id: 1, amount: 1}, {order_id: 5, amount: 2}]
      - input: this
        rows: [{order_id: 4, amount: 9}]
    expect:
      rows: [{order_id: 5, amount: 2}]
`;

describe('unit tests (unit_tests: in YAML)', () => {
  it('check model logic against given rows, with var and is_incremental overrides, without building the model', async () => {
    const fx = writeFixture({ ...project, 'models/_unit.yml': unitTests(10.25) });
    fixtures.push(fx);
    const { status, results } = await loadAndRun(fx.dir, {
      command: 'build',
      select: ['orders', 'test_type:unit'],
    });
    expect(status).toMatchObject({
      sums_only_delivered_orders: 'pass',
      var_override_filters: 'pass',
      incremental_reads_only_new_rows: 'pass',
    });
    expect(status.customer_totals).toBeUndefined();
    expect(results.success).toBe(true);
  });

  it('fails with the differing rows when the logic is wrong', async () => {
    const fx = writeFixture({ ...project, 'models/_unit.yml': unitTests(109.25) });
    fixtures.push(fx);
    const { status, results } = await loadAndRun(fx.dir, {
      command: 'build',
      select: ['orders', 'test_type:unit'],
    });
    expect(status.sums_only_delivered_orders).toBe('fail');
    const failed = results.results.find((r) => r.uniqueId.endsWith('sums_only_delivered_orders'));
    expect(failed?.failures).toBe(2);
    expect(failed?.sampleRows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ diff: 'missing', customer_id: 1, delivered_total: 109.25 }),
        expect.objectContaining({ diff: 'unexpected', customer_id: 1, delivered_total: 10.25 }),
      ]),
    );
  });

  it('in build, a failing unit test skips the model it tests', async () => {
    const fx = writeFixture({ ...project, 'models/_unit.yml': unitTests(109.25) });
    fixtures.push(fx);
    const { status } = await loadAndRun(fx.dir, { command: 'build' });
    expect(status.customer_totals).toBe('skipped');
    expect(status.orders_incremental).toBe('success');
  });

  it('run before anything is built, with the inputs’ documented columns standing in', async () => {
    const fx = writeFixture({
      ...project,
      'models/_unit.yml': unitTests(10.25),
      'seeds/_seeds.yml':
        'version: 2\nseeds:\n  - name: orders\n    columns: [{name: order_id}, {name: customer_id}, {name: amount}, {name: status}]\n',
    });
    fixtures.push(fx);
    const { status, results } = await loadAndRun(fx.dir, { command: 'test', select: ['test_type:unit'] });
    expect(status).toEqual({
      sums_only_delivered_orders: 'pass',
      var_override_filters: 'pass',
      incremental_reads_only_new_rows: 'pass',
    });
    expect(results.success).toBe(true);
  });

  it('rejects a unit test that leaves an input out or names an unknown model', async () => {
    const fx = writeFixture({
      ...project,
      'models/_unit.yml': `version: 2
unit_tests:
  - name: no_inputs
    model: customer_totals
    given: []
    expect: {rows: []}
`,
    });
    fixtures.push(fx);
    const { results } = await loadAndRun(fx.dir, { command: 'test', select: ['test_type:unit'] });
    expect(results.results[0]?.status).toBe('error');
    expect(results.results[0]?.message).toMatch(/does not give rows for 'orders'/);

    fx.write({
      'models/_unit.yml':
        'version: 2\nunit_tests:\n  - name: typo\n    model: custmer_totals\n    given: []\n    expect: {rows: []}\n',
    });
    await expect(loadAndRun(fx.dir, { command: 'test' })).rejects.toThrow(/SSA-UNIT-404|custmer_totals/);
  });
});
