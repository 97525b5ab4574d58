import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildManifest, defineProject, EventBus, executeRun, type RunResults } from '@shopsmart/core-runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layer } from '../src/index.js';
import { queryWarehouse } from './query-warehouse.js';
import { writeRawFixture } from './raw-fixture.js';

let dir: string;
let warehouse: string;
let results: RunResults;

const query = (sql: string) => queryWarehouse(warehouse, sql);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shopsmart-staging-'));
  warehouse = join(dir, 'wh.duckdb');
  await writeRawFixture(warehouse);
  const definition = defineProject({
    name: 'staging_test',
    rootDir: dir,
    layers: [layer],
    warehousePath: warehouse,
    threads: 2,
  });
  const project = buildManifest({ definition, target: definition.targets.dev as never });
  results = await executeRun(project, { command: 'build', events: new EventBus(), writeArtifacts: false });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('@shopsmart/staging on a hand-made raw warehouse', () => {
  it('builds every seed, view and snapshot and passes every data test', () => {
    const bad = results.results
      .filter((r) => !['success', 'pass'].includes(r.status))
      .map((r) => `${r.uniqueId}: ${r.status} ${r.message}`);
    expect(bad).toEqual([]);
    const ids = results.results.map((r) => r.uniqueId);
    expect(ids.filter((id) => id.startsWith('model.staging.')).length).toBe(11);
    expect(ids.filter((id) => id.startsWith('snapshot.staging.')).length).toBe(3);
    expect(ids.filter((id) => id.startsWith('test.')).length).toBeGreaterThan(60);
  });

  it('turns cents into DECIMAL(18,2) dollars and derives the order flags', async () => {
    const orders = await query(
      'select order_id, subtotal, shipping_amount, tax_amount, order_total, is_completed, is_returned, is_valid, has_coupon, order_date from main.stg_ecommerce__orders order by order_id',
    );
    expect(orders).toEqual([
      {
        order_id: '100',
        subtotal: '399.98',
        shipping_amount: '5.99',
        tax_amount: '32.00',
        order_total: '437.97',
        is_completed: true,
        is_returned: false,
        is_valid: true,
        has_coupon: true,
        order_date: '2025-04-01',
      },
      {
        order_id: '101',
        subtotal: '0.00',
        shipping_amount: '4.99',
        tax_amount: '0.00',
        order_total: '4.99',
        is_completed: false,
        is_returned: true,
        is_valid: false,
        has_coupon: false,
        order_date: '2025-04-03',
      },
    ]);
    const [type] = await query(
      "select data_type from information_schema.columns where table_name = 'stg_ecommerce__orders' and column_name = 'order_total'",
    );
    expect(type).toEqual({ data_type: 'DECIMAL(18,2)' });
  });

  it('keeps line arithmetic exact, including a 100% discount', async () => {
    const lines = await query(
      'select order_item_id, quantity, unit_price, discount_pct, discount_amount, gross_amount, line_total from main.stg_ecommerce__order_items order by 1',
    );
    expect(lines).toEqual([
      {
        order_item_id: '1000',
        quantity: 2,
        unit_price: '199.99',
        discount_pct: '0.00',
        discount_amount: '0.00',
        gross_amount: '399.98',
        line_total: '399.98',
      },
      {
        order_item_id: '1001',
        quantity: 1,
        unit_price: '25.50',
        discount_pct: '100.00',
        discount_amount: '25.50',
        gross_amount: '25.50',
        line_total: '0.00',
      },
    ]);
  });

  it("normalises country and state to ISO 3166 codes, keeping the names, and ids products' categories", async () => {
    expect(
      await query(
        'select customer_id, country, country_name, state, state_name from main.stg_ecommerce__customers order by 1',
      ),
    ).toEqual([
      {
        customer_id: '1',
        country: 'US',
        country_name: 'United States',
        state: 'US-CA',
        state_name: 'California',
      },
      {
        customer_id: '2',
        country: 'GB',
        country_name: 'United Kingdom',
        state: 'GB-ENG',
        state_name: 'England',
      },
    ]);
    expect(
      await query(
        'select product_id, category_id, subcategory_id from main.stg_ecommerce__products order by 1',
      ),
    ).toEqual(
      await query(`
        select cast(p.id as varchar) as product_id, c.category_id, c.subcategory_id
        from raw.products p
        join main.stg_seeds__product_categories c
          on p.category = c.category_name and p.subcategory = c.subcategory_name
        order by p.id`),
    );
  });

  it('names customers and products for analysts', async () => {
    expect(
      await query(
        'select customer_id, full_name, is_marketing_opt_in, signup_date from main.stg_ecommerce__customers order by 1',
      ),
    ).toEqual([
      { customer_id: '1', full_name: 'Ada Lovelace', is_marketing_opt_in: true, signup_date: '2025-01-05' },
      { customer_id: '2', full_name: 'Alan Turing', is_marketing_opt_in: false, signup_date: '2025-03-09' },
    ]);
    expect(
      await query(
        'select product_id, category_name, subcategory_name, unit_cost, list_price from main.stg_ecommerce__products order by 1',
      ),
    ).toEqual([
      {
        product_id: '10',
        category_name: 'Electronics',
        subcategory_name: 'Phones & Accessories',
        unit_cost: '123.45',
        list_price: '199.99',
      },
      {
        product_id: '11',
        category_name: 'Home & Garden',
        subcategory_name: 'Garden & Outdoor',
        unit_cost: '10.01',
        list_price: '25.50',
      },
    ]);
  });

  it('logs every staging model into the audit table through its pre-hook', async () => {
    const rows = await query('select count(distinct model_name) as models from main.model_audit_log');
    expect(rows).toEqual([{ models: '11' }]);
  });

  it('starts each snapshot with one current version per key', async () => {
    expect(
      await query(
        'select count(*) as n, count(*) filter (where dbt_valid_to is null) as current from snapshots.snap_customers',
      ),
    ).toEqual([{ n: '2', current: '2' }]);
  });

  it('builds every snapshot into the schema `snapshots` (T031), and nothing else there', async () => {
    expect(
      await query(
        "select table_schema, table_name from information_schema.tables where table_name like 'snap\\_%' escape '\\' or table_schema = 'snapshots' order by 2",
      ),
    ).toEqual([
      { table_schema: 'snapshots', table_name: 'snap_customers' },
      { table_schema: 'snapshots', table_name: 'snap_order_statuses' },
      { table_schema: 'snapshots', table_name: 'snap_products' },
    ]);
  });
});
