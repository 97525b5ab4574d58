import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltLayer, buildLayer } from '../../intermediate/test/support/layer-build.js';
import { type RawWarehouse, readRawWarehouse } from '../../intermediate/test/support/raw-tables-reader.js';
import { layer } from '../src/index.js';

// Var start_date (002 §7, default '2023-01-01') is the first order date the order facts hold. A
// small build of the two facts with a later start_date, as `--vars '{start_date: ...}'` gives it,
// drops the earlier orders and lines and keeps every later one.

const startDate = '2025-01-01';
let built: BuiltLayer;
let raw: RawWarehouse;

beforeAll(async () => {
  built = await buildLayer(layer, ['+fct_orders', '+fct_order_items'], { start_date: startDate });
  raw = await readRawWarehouse(built.warehouse);
}, 240_000);

afterAll(() => built?.dispose());

describe('var start_date bounds the order facts', () => {
  it('both facts build', () => {
    const facts = built.results.results.filter((r) => /\.(fct_orders|fct_order_items)$/.test(r.uniqueId));
    expect(facts.map((r) => r.status).sort()).toEqual(['success', 'success']);
  });

  it('fct_orders holds exactly the orders placed on or after start_date', async () => {
    const kept = raw.orders.filter((o) => o.orderDate >= startDate);
    expect(kept.length).toBeLessThan(raw.orders.length); // the fixture has earlier orders to drop
    const rows = await built.warehouse.rows('select order_id from fct_orders order by order_id');
    expect(rows.map((r) => Number(r.order_id))).toEqual(kept.map((o) => o.id).sort((a, b) => a - b));
  });

  it('fct_order_items holds exactly the lines of those orders', async () => {
    const keptOrders = new Set(raw.orders.filter((o) => o.orderDate >= startDate).map((o) => o.id));
    const kept = raw.orderItems.filter((item) => keptOrders.has(item.orderId));
    expect(kept.length).toBeLessThan(raw.orderItems.length);
    const rows = await built.warehouse.rows(
      'select order_item_id from fct_order_items order by order_item_id',
    );
    expect(rows.map((r) => Number(r.order_item_id))).toEqual(kept.map((i) => i.id).sort((a, b) => a - b));
  });
});
