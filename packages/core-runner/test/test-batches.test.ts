import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedProject } from '../src/index.js';
import {
  type Fixture,
  loadAndRun,
  queryWarehouse,
  type RunOutcome,
  writeFixture,
} from './fixture-project.js';

// One model with many tests of every outcome: they are counted in batches (one query for many
// tests), and each must report exactly what it reports when it runs alone.
const files = {
  'models/orders.sql': `{{ config(materialized='table') }}
select * from (values (1, 10, 'a'), (2, null, 'b'), (2, 5, 'z'), (4, -3, null)) t(id, amount, code)
`,
  'models/_models.yml': `version: 2
models:
  - name: orders
    columns:
      - name: id
        data_tests:
          - unique
          - not_null
          - unique:
              name: unique_orders_id_stored
              config: {store_failures: true}
      - name: amount
        data_tests:
          - not_null
          - not_null:
              name: amount_present_warn
              config: {severity: warn}
          - not_null:
              name: amount_present_threshold
              config: {error_if: '>1', warn_if: '>=1'}
          - accepted_values:
              arguments: {values: [10, 5], quote: false}
              config: {limit: 1}
      - name: code
        data_tests:
          - accepted_values:
              arguments: {values: [a, b]}
          - not_null:
              config: {where: "id <> 4"}
`,
  'tests/no_negative_amounts.sql': "select * from {{ ref('orders') }} where amount < 0\n",
  'tests/broken_rule.sql': "select no_such_column from {{ ref('orders') }}\n",
  'tests/all_good.sql': "select * from {{ ref('orders') }} where id > 100\n",
};

describe('tests counted in batches', () => {
  let fx: Fixture;
  let batched: RunOutcome & { project: ParsedProject };
  const testIds = () =>
    Object.values(batched.project.manifest.nodes)
      .filter((n) => n.resourceType === 'test')
      .map((n) => n.uniqueId);
  const outcomeOf = (outcome: RunOutcome, id: string) => {
    const r = outcome.results.results.find((x) => x.uniqueId === id);
    return { status: r?.status, failures: r?.failures, message: r?.message, sampleRows: r?.sampleRows };
  };

  beforeAll(async () => {
    fx = writeFixture(files, { threads: 1 });
    await loadAndRun(fx.dir, { command: 'run' });
    batched = await loadAndRun(fx.dir, { command: 'test' });
  }, 120_000);
  afterAll(() => fx?.remove());

  it('run together: with one thread, many tests are in flight at once (one query)', () => {
    let inFlight = 0;
    let most = 0;
    for (const e of batched.events) {
      if (e.kind === 'node_started') most = Math.max(most, ++inFlight);
      if (e.kind === 'node_finished') inFlight--;
    }
    // Unbatched, one thread runs one test at a time; the store_failures test runs alone.
    expect(most).toBe(testIds().length - 1);
    expect(batched.results.results).toHaveLength(testIds().length);
  });

  it('each test reports what it reports alone: status, failures, message, failing rows', async () => {
    expect(batched.status).toMatchObject({
      unique_orders_id: 'fail',
      not_null_orders_id: 'pass',
      unique_orders_id_stored: 'fail',
      not_null_orders_amount: 'fail',
      amount_present_warn: 'warn',
      amount_present_threshold: 'warn',
      accepted_values_orders_amount__False__10__5: 'fail',
      accepted_values_orders_code__a__b: 'fail',
      not_null_orders_code: 'pass',
      no_negative_amounts: 'fail',
      broken_rule: 'error',
      all_good: 'pass',
    });
    for (const id of testIds()) {
      const alone = await loadAndRun(fx.dir, { command: 'test', select: [id.split('.')[2] as string] });
      expect(alone.results.results, id).toHaveLength(1);
      expect(outcomeOf(batched, id), id).toEqual(outcomeOf(alone, id));
    }
  }, 120_000);

  it('keeps exact counts, the limit, stored failures and the error of the broken test', async () => {
    const failures = Object.fromEntries(
      batched.results.results.map((r) => [r.uniqueId.split('.')[2], r.failures]),
    );
    expect(failures).toMatchObject({
      unique_orders_id: 1,
      not_null_orders_amount: 1,
      accepted_values_orders_amount__False__10__5: 1, // 2 rows outside the values, limit 1
      accepted_values_orders_code__a__b: 1,
      no_negative_amounts: 1,
    });
    const broken = batched.results.results.find((r) => r.uniqueId.endsWith('.broken_rule'));
    expect(broken?.error?.message).toMatch(/no_such_column/);
    expect(
      await queryWarehouse(fx.warehouse, 'select * from main_dbt_test__audit.unique_orders_id_stored'),
    ).toEqual([{ unique_field: 2, n_records: 2 }]);
    // target/run/ keeps each test's own count query.
    const ran = readFileSync(
      join(fx.dir, 'target', 'run', 'fixture', 'tests', 'no_negative_amounts.sql'),
      'utf8',
    );
    expect(ran).toMatch(/^select count\(\*\) as failures from \(\n/);
    expect(ran).toContain('where amount < 0');
  });
});
