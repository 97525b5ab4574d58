import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AdvanceSummary,
  advance,
  generateWarehouse,
  MockgenNoRawDataError,
  MockgenOptionError,
  RAW_TABLES,
} from '../src/index.js';
import { checksums, type Row, tempDir, withDb } from './support/warehouse-probe.js';

const RANK: Record<string, number> = {
  pending: 0,
  processing: 1,
  shipped: 2,
  delivered: 3,
  cancelled: 4,
  returned: 4,
};

let path: string;
let snapshot: string;
let before: { orders: Row[]; maxIds: Record<string, number> };
let first: AdvanceSummary;
let second: AdvanceSummary;

async function maxIds(p: string): Promise<Record<string, number>> {
  return withDb(p, async (db) => {
    const out: Record<string, number> = {};
    for (const t of RAW_TABLES) out[t] = await db.value(`select max(id) from raw.${t}`);
    return out;
  });
}

beforeAll(async () => {
  path = join(tempDir(), 'live.duckdb');
  await generateWarehouse({ warehousePath: path, scale: 0.05, seed: 4, asOf: '2026-06-30' });
  before = {
    orders: await withDb(path, (db) =>
      db.rows('select id, status, updated_at::varchar as updated_at from raw.orders'),
    ),
    maxIds: await maxIds(path),
  };
  snapshot = join(tempDir(), 'before.duckdb');
  copyFileSync(path, snapshot);
  first = await advance({ warehousePath: path, days: 10 });
  second = await advance({ warehousePath: path, days: 5 });
});

describe('advance: the next days of a live shop', () => {
  it('moves the as-of and records each batch', async () => {
    expect(first).toMatchObject({ fromAsOf: '2026-06-30', asOf: '2026-07-10', days: 10, batch: 1 });
    expect(second).toMatchObject({ fromAsOf: '2026-07-10', asOf: '2026-07-15', days: 5, batch: 2 });
    const runs = await withDb(path, (db) =>
      db.rows('select batch, kind, as_of::varchar as as_of from raw._mockgen_runs order by batch'),
    );
    expect(runs).toEqual([
      { batch: 0, kind: 'generate', as_of: '2026-06-30' },
      { batch: 1, kind: 'advance', as_of: '2026-07-10' },
      { batch: 2, kind: 'advance', as_of: '2026-07-15' },
    ]);
    const inserted = Object.fromEntries(first.tables.map((t) => [t.name, t.inserted]));
    for (const table of [
      'customers',
      'orders',
      'order_items',
      'order_status_history',
      'payments',
      'web_events',
    ]) {
      expect(inserted[table], table).toBeGreaterThan(0);
    }
  });

  it('keeps ids unique, adds rows under new ids and deletes none', async () => {
    await withDb(path, async (db) => {
      await db.rows(`attach '${snapshot}' as before (read_only)`);
      for (const table of RAW_TABLES) {
        expect(await db.value(`select count(*) - count(distinct id) from raw.${table}`), table).toBe(0);
        const added = await db.value(
          `select count(*) from raw.${table} where id not in (select id from before.raw.${table})`,
        );
        const summed = [first, second].reduce(
          (n, s) => n + (s.tables.find((t) => t.name === table)?.inserted ?? 0),
          0,
        );
        expect(added, table).toBe(summed);
        expect(
          await db.value(
            `select count(*) from before.raw.${table} where id not in (select id from raw.${table})`,
          ),
        ).toBe(0);
      }
      // new orders and customers continue the sequence
      expect(
        await db.value(`select min(id) from raw.orders where id not in (select id from before.raw.orders)`),
      ).toBe((before.maxIds.orders ?? 0) + 1);
    });
  });

  it('moves statuses only forward, and some do move', async () => {
    const after = await withDb(path, (db) => db.rows('select id, status from raw.orders'));
    const now = new Map(after.map((r) => [Number(r.id), String(r.status)]));
    let moved = 0;
    for (const o of before.orders) {
      const was = String(o.status);
      const is = now.get(Number(o.id)) as string;
      expect(RANK[is], `order ${o.id}: ${was} → ${is}`).toBeGreaterThanOrEqual(RANK[was] as number);
      if (was === 'cancelled' || was === 'returned') expect(is).toBe(was);
      if (is !== was) moved++;
    }
    expect(moved).toBeGreaterThan(0);
    expect(first.tables.find((t) => t.name === 'orders')?.updated).toBeGreaterThan(0);
  });

  it('keeps the integrity rules after the batches', async () => {
    await withDb(path, async (db) => {
      const rules = [
        `select id from raw.orders where ordered_at > timestamp '2026-07-15 23:59:59' or updated_at > timestamp '2026-07-15 23:59:59'`,
        `select o.id from raw.orders as o join (select order_id, arg_max(status, (changed_at, id)) as s, max(changed_at) as at
           from raw.order_status_history group by 1) as h on h.order_id = o.id where h.s <> o.status or h.at <> o.updated_at`,
        'select order_id from raw.order_status_history group by order_id, status having count(*) > 1',
        `select o.id from raw.orders as o left join (select order_id, sum(line_total_cents) as s from raw.order_items group by 1) as l
           on l.order_id = o.id where o.subtotal_cents is distinct from l.s`,
        `select o.id from raw.orders as o left join (select order_id, sum(amount_cents) as paid from raw.payments group by 1) as p
           on p.order_id = o.id where (o.shipped_at is not null) <> (p.order_id is not null) or p.paid <> o.order_total_cents`,
        `select o.id from raw.orders as o where (o.status = 'returned') <> (o.id in (select order_id from raw.refunds))`,
        'select id from raw.orders where customer_id not in (select id from raw.customers)',
        'select id from raw.order_items where product_id not in (select id from raw.products)',
        'select id from raw.products where unit_cost_cents >= list_price_cents',
        `select id from raw.orders where (shipped_at is not null) <> (status in ('shipped', 'delivered', 'returned'))`,
      ];
      for (const rule of rules) expect(await db.rows(rule), rule).toEqual([]);
    });
  });

  it('loads the batch after the previous one, with some rows arriving late', async () => {
    await withDb(path, async (db) => {
      const newOrders = `select * from raw.orders where id > ${before.maxIds.orders}`;
      expect(
        await db.value(
          `select count(*) from (${newOrders}) where _loaded_at <= timestamp '2026-06-30 23:59:59'`,
        ),
      ).toBe(0);
      // late-arriving: placed before the previous as-of, loaded with a later batch
      expect(
        await db.value(
          `select count(*) from (${newOrders}) where ordered_at <= timestamp '2026-06-30 23:59:59'`,
        ),
      ).toBeGreaterThan(0);
      expect(
        await db.value(
          "select count(*) from raw.orders where updated_at > timestamp '2026-06-30 23:59:59' and _loaded_at < updated_at",
        ),
      ).toBe(0);
    });
  });

  it('changes customers and products in place, with updated_at in the batch', async () => {
    await withDb(path, async (db) => {
      const moved = await db.rows(`
        select c.id, c.city, e.detail from raw._mockgen_edge_cases as e join raw.customers as c on c.id = e.row_id
        where e.edge_case = 'customer_moved' and c.updated_at > timestamp '2026-06-30 23:59:59'`);
      expect(moved.length).toBeGreaterThan(0);
      const recategorised = await db.value(`
        select count(*) from raw._mockgen_edge_cases as e join raw.products as p on p.id = e.row_id
        where e.edge_case = 'product_changed_category' and p.updated_at > timestamp '2026-06-30 23:59:59'`);
      expect(recategorised).toBeGreaterThanOrEqual(2);
    });
  });

  it('is deterministic: the same batch on the same warehouse gives the same data', async () => {
    const a = join(tempDir(), 'a.duckdb');
    const b = join(tempDir(), 'b.duckdb');
    for (const p of [a, b]) {
      await generateWarehouse({ warehousePath: p, scale: 0.02, seed: 9, asOf: '2026-01-31' });
      await advance({ warehousePath: p, days: 3 });
    }
    expect(await checksums(b)).toEqual(await checksums(a));
  });

  it('rejects bad options and warehouses without raw data, touching nothing', async () => {
    const sums = await checksums(path);
    await expect(advance({ warehousePath: path, days: 0 })).rejects.toBeInstanceOf(MockgenOptionError);
    await expect(advance({ warehousePath: path, days: 1.5 })).rejects.toBeInstanceOf(MockgenOptionError);
    expect(await checksums(path)).toEqual(sums);
    await expect(
      advance({ warehousePath: join(tempDir(), 'missing.duckdb'), days: 1 }),
    ).rejects.toBeInstanceOf(MockgenNoRawDataError);
    const empty = join(tempDir(), 'empty.duckdb');
    await withDb(empty, (db) => db.rows('create table t as select 1 as x'));
    const error = await advance({ warehousePath: empty, days: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockgenNoRawDataError);
    expect((error as MockgenNoRawDataError).code).toBe('SSA-MOCK-004');
  });

  it('advances up to an as-of, and rejects an as-of not after the warehouse’s, touching nothing', async () => {
    const copy = join(tempDir(), 'to-as-of.duckdb');
    copyFileSync(path, copy);
    const current = String(
      (await withDb(copy, (db) => db.rows('select max(as_of)::varchar as as_of from raw._mockgen_runs')))[0]
        ?.as_of,
    );
    const sums = await checksums(copy);
    const before = await advance({ warehousePath: copy, asOf: String(current) }).catch((e: unknown) => e);
    expect(before).toBeInstanceOf(MockgenOptionError);
    expect((before as MockgenOptionError).message).toMatch(
      new RegExp(`asOf: must be after the warehouse's as-of ${current}`),
    );
    await expect(advance({ warehousePath: copy, asOf: '2026-07-01', days: 3 })).rejects.toBeInstanceOf(
      MockgenOptionError,
    );
    expect(await checksums(copy)).toEqual(sums);
    const target = new Date(Date.parse(`${current}T00:00:00Z`) + 5 * 86_400_000).toISOString().slice(0, 10);
    const batch = await advance({ warehousePath: copy, asOf: target });
    expect(batch).toMatchObject({ fromAsOf: current, asOf: target, days: 5 });
  });
});
