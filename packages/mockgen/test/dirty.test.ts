import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GenerateSummary, generateWarehouse } from '../src/index.js';
import { type Probe, tempDir, withDb } from './support/warehouse-probe.js';

const AS_OF = '2026-06-30';
let path: string;
let summary: GenerateSummary;

beforeAll(async () => {
  path = join(tempDir(), 'dirty.duckdb');
  summary = await generateWarehouse({ warehousePath: path, scale: 0.05, seed: 21, asOf: AS_OF, dirty: true });
});

/** How each defect shows in the data: the ids a data test would flag. */
const DETECTORS: Record<string, string> = {
  'null_product_id/order_items': 'select id from raw.order_items where product_id is null',
  'negative_quantity/order_items': 'select id from raw.order_items where quantity < 0',
  'future_order_date/orders': `select id from raw.orders where ordered_at > timestamp '${AS_OF} 23:59:59'`,
  'orphan_foreign_key/orders':
    'select id from raw.orders where customer_id not in (select id from raw.customers)',
  'orphan_foreign_key/payments':
    'select id from raw.payments where order_id not in (select id from raw.orders)',
  'duplicate_id/orders': 'select id from raw.orders group by id having count(*) > 1',
  'duplicate_id/customers': 'select id from raw.customers group by id having count(*) > 1',
  'cost_above_price/products': 'select id from raw.products where unit_cost_cents >= list_price_cents',
};

async function ids(db: Probe, sql: string): Promise<number[]> {
  return (await db.rows(sql)).map((r) => Number(r.id ?? r.row_id)).sort((a, b) => a - b);
}

describe('dirty mode: each defect is present exactly as recorded', () => {
  it('records every defect kind, in the summary and in _mockgen_defects', async () => {
    const recorded = await withDb(path, (db) => db.rows('select * from raw._mockgen_defects'));
    expect(recorded).toHaveLength(summary.defects.length);
    const kinds = new Set(summary.defects.map((d) => `${d.defect}/${d.table}`));
    expect([...kinds].sort()).toEqual(Object.keys(DETECTORS).sort());
    for (const d of summary.defects) expect(d.column).toMatch(/^[a-z_]+$/);
  });

  for (const [kind, detector] of Object.entries(DETECTORS)) {
    it(`finds exactly the recorded rows for ${kind}`, async () => {
      const [defect, table] = kind.split('/');
      await withDb(path, async (db) => {
        const recorded = await ids(
          db,
          `select row_id from raw._mockgen_defects where defect = '${defect}' and table_name = '${table}'`,
        );
        expect(recorded.length).toBeGreaterThanOrEqual(1);
        expect(await ids(db, detector)).toEqual(recorded);
      });
    });
  }

  it('leaves the rest of the data clean', async () => {
    await withDb(path, async (db) => {
      // line totals only disagree where the quantity was negated
      expect(
        await ids(
          db,
          'select id from raw.order_items where line_total_cents <> quantity * unit_price_cents - discount_cents',
        ),
      ).toEqual(await ids(db, 'select id from raw.order_items where quantity < 0'));
      expect(
        await db.value(
          'select count(*) from raw.order_items where order_id not in (select id from raw.orders)',
        ),
      ).toBe(0);
      // edge cases stay intact in a dirty warehouse
      const refunded = await db.value(
        "select row_id from raw._mockgen_edge_cases where edge_case = 'customer_all_orders_refunded'",
      );
      expect(
        await db.value(
          `select count(*) from raw.orders where customer_id = ${refunded} and status <> 'returned'`,
        ),
      ).toBe(0);
    });
  });
});
