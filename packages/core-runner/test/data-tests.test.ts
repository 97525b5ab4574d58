import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedProject, RunResult } from '../src/index.js';
import {
  type Fixture,
  loadAndRun,
  queryWarehouse,
  type RunOutcome,
  runFixture,
  writeFixture,
} from './fixture-project.js';

const files = {
  'seeds/customers.csv':
    'customer_id,name,status\n1,Ann,active\n2,Bob,inactive\n3,Cid,active\n3,Cid again,churned\n4,,active\n',
  'seeds/orders.csv': 'order_id,customer_id,amount\n10,1,5\n11,2,7\n12,9,3\n13,,4\n',
  'seeds/products.csv': 'product_id,name\n1,tea\n2,\n',
  'seeds/_seeds.yml': `version: 2
seeds:
  - name: customers
    columns:
      - name: customer_id
        data_tests:
          - unique:
              config:
                store_failures: true
          - not_null
      - name: name
        data_tests:
          - not_null:
              config:
                severity: warn
          - not_null:
              name: not_null_customers_name_where
              config:
                where: "customer_id <> 4"
      - name: status
        data_tests:
          - accepted_values:
              arguments:
                values: ['active', 'inactive']
  - name: orders
    columns:
      - name: customer_id
        data_tests:
          - relationships:
              arguments:
                to: ref('customers')
                field: customer_id
          - not_null:
              config:
                error_if: '>1'
                warn_if: '>=1'
          - accepted_values:
              arguments:
                values: [1, 2]
                quote: false
              config:
                error_if: '>5'
                warn_if: '>5'
  - name: products
    columns:
      - name: product_id
        data_tests: [unique, not_null]
      - name: name
        data_tests:
          - not_null:
              config:
                severity: warn
`,
  'tests/assert_no_big_orders.sql': `{{ config(severity='warn') }}\nselect * from {{ ref('orders') }} where amount > 6\n`,
  'models/customer_summary.sql': `select count(*) as n from {{ ref('customers') }}\n`,
  'models/product_summary.sql': `{{ config(materialized='table') }}\nselect count(*) as n from {{ ref('products') }}\n`,
};

describe('data tests', () => {
  let fx: Fixture;
  let build: RunOutcome & { project: ParsedProject };

  /** The result of the generic test `testName` on `model.column` (the first one, or the one named `name`). */
  const result = (
    outcome: RunOutcome,
    model: string,
    column: string,
    testName: string,
    name?: string,
  ): RunResult => {
    const node = Object.values(build.project.manifest.nodes).find(
      (n) =>
        n.testMetadata?.name === testName &&
        n.attachedNode === `seed.fixture.${model}` &&
        n.columnName === column &&
        (name === undefined ? !n.name.endsWith('_where') : n.name === name),
    );
    const found = outcome.results.results.find((r) => r.uniqueId === node?.uniqueId);
    if (!found) throw new Error(`no result for ${testName} on ${model}.${column}`);
    return found;
  };

  beforeAll(async () => {
    fx = writeFixture(files);
    build = await loadAndRun(fx.dir, { command: 'build' });
  });
  afterAll(() => fx.remove());

  it('loads the seeds', async () => {
    expect(build.status).toMatchObject({ customers: 'success', orders: 'success', products: 'success' });
    expect(await queryWarehouse(fx.warehouse, 'select count(*) as n from main.customers')).toEqual([
      { n: 5 },
    ]);
  });

  it('unique, not_null, accepted_values and relationships pass or fail with the number of failing rows', () => {
    expect(result(build, 'customers', 'customer_id', 'unique')).toMatchObject({
      status: 'fail',
      failures: 1,
    });
    expect(result(build, 'customers', 'customer_id', 'not_null')).toMatchObject({
      status: 'pass',
      failures: 0,
    });
    expect(result(build, 'customers', 'status', 'accepted_values')).toMatchObject({
      status: 'fail',
      failures: 1,
    });
    expect(result(build, 'orders', 'customer_id', 'relationships')).toMatchObject({
      status: 'fail',
      failures: 1,
    });
    expect(result(build, 'products', 'product_id', 'unique')).toMatchObject({ status: 'pass' });
  });

  it('severity warn turns a failing test into a warning', () => {
    expect(result(build, 'customers', 'name', 'not_null')).toMatchObject({ status: 'warn', failures: 1 });
    const singular = build.results.results.find((r) => r.uniqueId === 'test.fixture.assert_no_big_orders');
    expect(singular).toMatchObject({ status: 'warn', failures: 1 });
  });

  it('error_if and warn_if thresholds decide between fail, warn and pass', () => {
    expect(result(build, 'orders', 'customer_id', 'not_null')).toMatchObject({ status: 'warn', failures: 1 });
    expect(result(build, 'orders', 'customer_id', 'accepted_values')).toMatchObject({
      status: 'pass',
      failures: 1,
    });
  });

  it('where filters the rows under test', () => {
    expect(result(build, 'customers', 'name', 'not_null', 'not_null_customers_name_where')).toMatchObject({
      status: 'pass',
      failures: 0,
    });
  });

  it('store_failures keeps the failing rows in the audit schema', async () => {
    expect(
      await queryWarehouse(
        fx.warehouse,
        'select unique_field, n_records from main_dbt_test__audit.unique_customers_customer_id',
      ),
    ).toEqual([{ unique_field: 3, n_records: 2 }]);
  });

  it('build skips models downstream of a failing test, and runs those whose tests pass or warn', () => {
    expect(build.status.customer_summary).toBe('skipped');
    expect(build.status.product_summary).toBe('success');
    const started = build.events
      .filter((e) => e.kind === 'node_started')
      .map((e) => (e as { name: string }).name);
    expect(started.indexOf('product_summary')).toBeGreaterThan(
      started.findIndex((n) => n.startsWith('not_null_products_name')),
    );
    expect(build.results.success).toBe(false);
  });

  it('generic tests are named as dbt names them (arguments sorted, trailing underscore kept)', () => {
    const names = Object.values(build.project.manifest.nodes)
      .filter((n) => n.resourceType === 'test')
      .map((n) => n.name)
      .sort();
    expect(names).toContain('accepted_values_customers_status__active__inactive');
    expect(names).toContain('relationships_orders_customer_id__customer_id__ref_customers_');
    expect(names).toContain('unique_customers_customer_id');
  });

  it('the test command runs only the tests, with the same outcomes', async () => {
    const tests = await runFixture(build.project, { command: 'test' });
    const types = new Set(
      tests.results.results.map((r) => build.project.manifest.nodes[r.uniqueId]?.resourceType),
    );
    expect([...types]).toEqual(['test']);
    expect(result(tests, 'customers', 'customer_id', 'unique')).toMatchObject({
      status: 'fail',
      failures: 1,
    });
    expect(result(tests, 'customers', 'name', 'not_null')).toMatchObject({ status: 'warn' });
    expect(tests.results.success).toBe(false);
  });
});
