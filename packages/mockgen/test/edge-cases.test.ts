import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateWarehouse } from '../src/index.js';
import { type Probe, tempDir, withDb } from './support/warehouse-probe.js';

const EDGE_CASES = [
  'customer_with_one_order',
  'customer_all_orders_refunded',
  'customer_without_orders',
  'full_discount_line',
  'product_changed_category',
  'customer_moved',
] as const;

async function checkEdgeCases(db: Probe): Promise<void> {
  const listed = await db.rows('select edge_case, table_name, row_id, detail from raw._mockgen_edge_cases');
  const ids = (edgeCase: string) =>
    listed.filter((r) => r.edge_case === edgeCase).map((r) => Number(r.row_id));
  for (const edgeCase of EDGE_CASES) expect(ids(edgeCase).length, edgeCase).toBeGreaterThan(0);

  const [oneOrder] = ids('customer_with_one_order');
  expect(await db.value(`select count(*) from raw.orders where customer_id = ${oneOrder}`)).toBe(1);

  const [refunded] = ids('customer_all_orders_refunded');
  const [r] = await db.rows(`
    select count(*) as orders, count(*) filter (where o.status = 'returned') as returned,
           count(*) filter (where o.id in (select order_id from raw.refunds)) as refunds
    from raw.orders as o where o.customer_id = ${refunded}`);
  expect(Number(r?.orders)).toBeGreaterThanOrEqual(2);
  expect(Number(r?.returned)).toBe(Number(r?.orders));
  expect(Number(r?.refunds)).toBe(Number(r?.orders));

  const listedWithout = ids('customer_without_orders');
  const actualWithout = (
    await db.rows(
      'select id from raw.customers where id not in (select customer_id from raw.orders) order by id',
    )
  ).map((x) => Number(x.id));
  expect([...listedWithout].sort((a, b) => a - b)).toEqual(actualWithout);

  for (const line of ids('full_discount_line')) {
    const [item] = await db.rows(
      `select discount_pct, line_total_cents, quantity from raw.order_items where id = ${line}`,
    );
    expect(Number(item?.discount_pct)).toBe(100);
    expect(Number(item?.line_total_cents)).toBe(0);
  }

  for (const row of listed.filter((x) => x.edge_case === 'product_changed_category')) {
    const [p] = await db.rows(
      `select category, subcategory, launched_at < updated_at as changed from raw.products where id = ${row.row_id}`,
    );
    const [, from, to] = /moved from (.+) to (.+) on \d{4}-\d{2}-\d{2}$/.exec(String(row.detail)) ?? [];
    expect(to).toBe(`${p?.category} / ${p?.subcategory}`);
    expect(from?.split(' / ')[0]).not.toBe(p?.category);
    expect(p?.changed).toBe(true);
    // it sold before it moved
    expect(
      await db.value(`select count(*) from raw.order_items where product_id = ${row.row_id}`),
    ).toBeGreaterThan(0);
  }

  for (const row of listed.filter((x) => x.edge_case === 'customer_moved').slice(0, 20)) {
    const [c] = await db.rows(
      `select city, state, country, created_at < updated_at as changed from raw.customers where id = ${row.row_id}`,
    );
    const [, from] = /moved from (.+) on \d{4}-\d{2}-\d{2}$/.exec(String(row.detail)) ?? [];
    expect(from).not.toBe(`${c?.city}, ${c?.state}, ${c?.country}`);
    expect(c?.changed).toBe(true);
  }
}

describe('edge cases are always present and listed', () => {
  it('at a small scale', async () => {
    const path = join(tempDir(), 'edges.duckdb');
    await generateWarehouse({ warehousePath: path, scale: 0.03, seed: 5, asOf: '2026-03-15' });
    await withDb(path, checkEdgeCases);
  });

  it('at the smallest scale, with another seed', async () => {
    const path = join(tempDir(), 'edges-tiny.duckdb');
    await generateWarehouse({ warehousePath: path, scale: 0.001, seed: 99, asOf: '2025-12-31' });
    await withDb(path, checkEdgeCases);
  });
});
