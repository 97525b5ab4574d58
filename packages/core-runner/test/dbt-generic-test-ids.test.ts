import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, loadFixture, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

// The jaffle_shop project's tests, with the unique ids dbt itself wrote in its published manifests
// (naming: docs.getdbt.com/reference/resource-properties/data-tests#custom-data-test-name and
// dbt-core core/dbt/parser/generic_test_builders.py synthesize_generic_test_names).
const jaffle = {
  'dbt_project.yml': 'name: jaffle_shop\nprofile: jaffle_shop\n',
  'models/customers.sql': 'select 1 as customer_id',
  'models/orders.sql': "select 1 as order_id, 1 as customer_id, 'placed' as status",
  'models/schema.yml': `version: 2
models:
  - name: customers
    columns:
      - name: customer_id
        data_tests: [unique, not_null]
  - name: orders
    columns:
      - name: order_id
        data_tests: [unique, not_null]
      - name: customer_id
        data_tests:
          - not_null
          - relationships:
              to: ref('customers')
              field: customer_id
      - name: status
        data_tests:
          - accepted_values:
              values: ['placed', 'shipped', 'completed', 'return_pending', 'returned']
`,
};

describe("generic test names and unique ids equal dbt's (docs.getdbt.com/reference/resource-properties/data-tests)", () => {
  it('gives the unique ids dbt gives jaffle_shop, full names as node names and short aliases', async () => {
    const fx = writeFixture(jaffle, { name: 'jaffle_shop' });
    fixtures.push(fx);
    const project = await loadFixture(fx.dir);
    const tests = Object.values(project.manifest.nodes).filter((n) => n.resourceType === 'test');
    expect(tests.map((t) => t.uniqueId).sort()).toEqual(
      [
        'test.jaffle_shop.accepted_values_orders_status__placed__shipped__completed__return_pending__returned.be6b5b5ec3',
        'test.jaffle_shop.not_null_customers_customer_id.5c9bf9911d',
        'test.jaffle_shop.not_null_orders_customer_id.c5f02694af',
        'test.jaffle_shop.not_null_orders_order_id.cf6c17daed',
        'test.jaffle_shop.relationships_orders_customer_id__customer_id__ref_customers_.c6ec7f58f2',
        'test.jaffle_shop.unique_customers_customer_id.c5af1ff4b1',
        'test.jaffle_shop.unique_orders_order_id.fed79b3a6e',
      ].sort(),
    );
    // 64+ characters: the node keeps the full name; the alias is `<test>_<model>` (30 chars max) + md5.
    const long = tests.find((t) => t.name.startsWith('accepted_values_orders_status'));
    expect(long?.name).toBe(
      'accepted_values_orders_status__placed__shipped__completed__return_pending__returned',
    );
    expect(long?.config.alias).toBe(`accepted_values_orders_${md5(long?.name ?? '')}`);
    expect(tests.find((t) => t.name === 'unique_orders_order_id')?.config.alias).toBeUndefined();
    // Selecting by the full name works, and a stored failure lands under the short alias.
    const { status } = await loadAndRun(fx.dir, {
      command: 'build',
      threads: 1,
      select: ['accepted_values_orders_status__placed__shipped__completed__return_pending__returned'],
    });
    expect(Object.keys(status)).toEqual([
      'accepted_values_orders_status__placed__shipped__completed__return_pending__returned',
    ]);
  });

  it('writes booleans as Python does in names (True/False) and prefixes source tests with source_', async () => {
    const fx = writeFixture({
      'models/m.sql': 'select true as flag, 1 as id',
      'models/schema.yml': `version: 2
sources:
  - name: raw
    schema: main
    tables:
      - name: events
        columns:
          - name: id
            data_tests: [unique]
models:
  - name: m
    columns:
      - name: flag
        data_tests:
          - accepted_values:
              values: [true]
              quote: false
              config:
                store_failures: true
`,
    });
    fixtures.push(fx);
    await queryWarehouse(fx.warehouse, 'create table main.events as select 1 as id');
    const project = await loadFixture(fx.dir);
    const names = Object.values(project.manifest.nodes)
      .filter((n) => n.resourceType === 'test')
      .map((n) => n.name)
      .sort();
    expect(names).toEqual(['accepted_values_m_flag__False__True', 'source_unique_raw_events_id']);
    const { status } = await loadAndRun(fx.dir, { command: 'build', threads: 1 });
    expect(status.accepted_values_m_flag__False__True).toBe('pass');
  });
});
