import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

const files = {
  'models/orders.sql':
    "{{ config(materialized='view') }}\nselect * from (values (1, 'a', 10), (2, 'b', null), (2, 'c', 5)) t(id, code, amount)",
  'models/order_codes.sql':
    "{{ config(materialized='ephemeral') }}\nselect id, upper(code) as code from {{ ref('orders') }}",
  'models/_models.yml': `version: 2
models:
  - name: orders
    columns:
      - name: id
        data_tests: [unique, not_null]
      - name: amount
        data_tests:
          - not_null
          - not_null:
              name: amount_present_for_first_order
              config: {where: "id = 1"}
  - name: order_codes
    columns:
      - name: code
        data_tests: [unique, not_null, {accepted_values: {values: [A, B, C]}}]
`,
};

describe('tests of views and ephemeral models', () => {
  it('read one stored copy per run and report exactly what they would on the model itself', async () => {
    const fx = writeFixture(files);
    fixtures.push(fx);
    await loadAndRun(fx.dir, { command: 'run' });
    const { results, status } = await loadAndRun(fx.dir, { command: 'test' });
    const failures = Object.fromEntries(results.results.map((r) => [r.uniqueId.split('.')[2], r.failures]));
    expect(status).toMatchObject({
      unique_orders_id: 'fail',
      not_null_orders_id: 'pass',
      not_null_orders_amount: 'fail',
      amount_present_for_first_order: 'pass',
      unique_order_codes_code: 'pass',
      accepted_values_order_codes_code__A__B__C: 'pass',
    });
    expect(failures).toMatchObject({ unique_orders_id: 1, not_null_orders_amount: 1 });
    const ran = readFileSync(
      join(fx.dir, 'target', 'run', 'fixture', 'models', '_models', 'unique_orders_id.sql'),
      'utf8',
    );
    // On DuckDB the copy lives in the run's in-memory scratch database, not in the warehouse file.
    expect(ran).toContain('"ssa_scratch"."main"."fixture__orders"');
    const compiled = readFileSync(
      join(fx.dir, 'target', 'compiled', 'fixture', 'models', '_models', 'unique_orders_id.sql'),
      'utf8',
    );
    expect(compiled).toContain('"main"."orders"');
    expect(
      await queryWarehouse(
        fx.warehouse,
        "select count(*)::integer as n from information_schema.schemata where schema_name = 'ssa_test_inputs'",
      ),
    ).toEqual([{ n: 0 }]);
  });
});
