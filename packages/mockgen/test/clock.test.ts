import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advance, generateWarehouse, MockgenOptionError, RAW_TABLES } from '../src/index.js';
import { type Probe, tempDir, withDb } from './support/warehouse-probe.js';

/** Every time a raw table records, besides `_loaded_at`. */
const TIMES: Record<string, string[]> = {
  customers: ['created_at', 'updated_at'],
  products: ['launched_at', 'updated_at'],
  orders: ['ordered_at', 'updated_at', 'shipped_at', 'delivered_at'],
  order_status_history: ['changed_at'],
  payments: ['paid_at'],
  refunds: ['refunded_at'],
  marketing_touches: ['touched_at'],
  web_events: ['occurred_at'],
};

/** The latest time anything in the raw tables is dated or loaded, as an ISO string. */
async function latest(db: Probe): Promise<string> {
  const parts = RAW_TABLES.flatMap((t) =>
    [...(TIMES[t] ?? []), '_loaded_at'].map((c) => `select max(${c}) as moment from raw.${t}`),
  );
  const [row] = await db.rows(
    `select strftime(max(moment), '%Y-%m-%dT%H:%M:%SZ') as moment from (${parts.join(' union all ')}) as times`,
  );
  return String(row?.moment);
}

describe('the clock: nothing is dated or loaded after the as-of, nor after the real time', () => {
  it('advance writes nothing dated after its own as-of, and generate neither', async () => {
    const path = join(tempDir(), 'as-of.duckdb');
    await generateWarehouse({ warehousePath: path, scale: 0.03, seed: 5, asOf: '2026-05-31' });
    const generated = await withDb(path, latest);
    expect(generated <= '2026-05-31T23:59:59Z' && generated > '2026-05-31T12:00:00Z').toBe(true);
    await advance({ warehousePath: path, days: 7 });
    await withDb(path, async (db) => {
      const week = await latest(db);
      expect(week <= '2026-06-07T23:59:59Z' && week > '2026-06-07T12:00:00Z', week).toBe(true);
      // the batch did write: orders, status changes, touches and events of the week
      expect(
        await db.value("select count(*) from raw.orders where ordered_at > date '2026-06-01'"),
      ).toBeGreaterThan(0);
      expect(
        await db.value("select count(*) from raw.order_status_history where changed_at > date '2026-06-01'"),
      ).toBeGreaterThan(0);
      expect(
        await db.value("select count(*) from raw.web_events where occurred_at > date '2026-06-01'"),
      ).toBeGreaterThan(0);
    });
    await advance({ warehousePath: path, days: 3 });
    const days = await withDb(path, latest);
    expect(days <= '2026-06-10T23:59:59Z' && days > '2026-06-10T00:00:00Z', days).toBe(true);
  });

  it('stops the history at the real time when the as-of day has not ended', async () => {
    const path = join(tempDir(), 'today.duckdb');
    const now = '2026-06-30T09:30:00Z';
    const summary = await generateWarehouse({
      warehousePath: path,
      scale: 0.03,
      seed: 5,
      asOf: '2026-06-30',
      now,
    });
    expect(summary.asOf).toBe('2026-06-30');
    await withDb(path, async (db) => {
      expect(await latest(db)).toBe(now);
      // loads come up to the clock (freshness finds an age of minutes, never a load in the future)
      const [orders] = await db.rows(`select
          date_diff('second', max(_loaded_at), timestamp '2026-06-30 09:30:00') as age_s,
          count(*) filter (where ordered_at >= date '2026-06-30') as today
        from raw.orders`);
      expect(Number(orders?.age_s)).toBeGreaterThanOrEqual(0);
      expect(Number(orders?.age_s)).toBeLessThan(6 * 3600);
      expect(Number(orders?.today)).toBeGreaterThan(0);
      const [run] = await db.rows(
        "select strftime(clock_at, '%Y-%m-%dT%H:%M:%SZ') as clock_at from raw._mockgen_runs",
      );
      expect(run?.clock_at).toBe(now);
    });
    // the next batch picks up from that clock and stops at its own
    const later = '2026-07-02T15:00:00Z';
    await advance({ warehousePath: path, days: 5, now: later });
    await withDb(path, async (db) => {
      expect(await latest(db)).toBe(later);
      expect(
        await db.value("select count(*) from raw.orders where _loaded_at > timestamp '2026-06-30 09:30:00'"),
      ).toBeGreaterThan(0);
    });
  });

  it('writes a whole history before the clock when the as-of is still to come', async () => {
    const path = join(tempDir(), 'future.duckdb');
    const summary = await generateWarehouse({
      warehousePath: path,
      scale: 0.03,
      seed: 5,
      asOf: '2026-07-31',
      now: '2026-07-01T00:00:00Z',
    });
    expect(summary.tables.find((t) => t.name === 'orders')?.rows).toBe(1500);
    expect(await withDb(path, latest)).toBe('2026-07-01T00:00:00Z');
  });

  it('rejects a clock that is not a time', async () => {
    await expect(
      generateWarehouse({ warehousePath: join(tempDir(), 'x.duckdb'), asOf: '2026-06-30', now: 'soon' }),
    ).rejects.toBeInstanceOf(MockgenOptionError);
  });
});
