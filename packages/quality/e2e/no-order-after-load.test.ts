import type { ParsedProject } from '@shopsmart/core-runner';
import { generateWarehouse } from '@shopsmart/mockgen';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, openShopsmart, query, scratch } from './shopsmart-project.js';

// T052, "order dates are never in the future": the business rule no_order_after_load compares
// each order with the run's as-of date (var as_of_date, else the latest load).
const place = scratch('e2e-future-order');

/**
 * The rule's status and failure count, run on its own (`test -s no_order_after_load`): in a
 * build, the staging tests that guard orders would fail first and skip it.
 */
async function ruleOutcome(project: ParsedProject): Promise<{ status: string; failures: number }> {
  const outcome = await build(project, { command: 'test', select: ['no_order_after_load'] });
  const rule = outcome.results.find(
    (r) => project.manifest.nodes[r.uniqueId]?.name === 'no_order_after_load',
  );
  if (!rule) throw new Error('no_order_after_load did not run');
  return { status: rule.status, failures: Number(rule.failures ?? 0) };
}

beforeAll(async () => {
  await generateWarehouse({ warehousePath: place.warehouse, scale: 0.01, seed: 8, asOf: '2026-06-30' });
  // the staging views the rule reads
  await build(await openShopsmart(place.dir, place.warehouse), {
    command: 'run',
    select: ['+no_order_after_load'],
  });
}, 240_000);

afterAll(() => place.remove());

describe('business rule no_order_after_load (T052)', () => {
  it('passes on the generated warehouse: no order after its as-of', async () => {
    expect(await ruleOutcome(await openShopsmart(place.dir, place.warehouse))).toEqual({
      status: 'pass',
      failures: 0,
    });
  });

  it('catches an order dated a week after the latest load', async () => {
    const [order] = await query(place.warehouse, 'select max(id) as id from raw.orders');
    await query(
      place.warehouse,
      `update raw.orders set ordered_at = timestamp '2026-07-07 12:00:00' where id = ${order?.id}`,
    );
    expect(await ruleOutcome(await openShopsmart(place.dir, place.warehouse))).toEqual({
      status: 'fail',
      failures: 1,
    });
  });

  it('catches it against the as-of var even when its load is stamped as far ahead', async () => {
    const [order] = await query(place.warehouse, 'select max(id) as id from raw.orders');
    await query(
      place.warehouse,
      `update raw.orders set _loaded_at = timestamp '2026-07-07 13:00:00' where id = ${order?.id}`,
    );
    // the latest load moved with it: only the run's as-of date tells
    expect(await ruleOutcome(await openShopsmart(place.dir, place.warehouse))).toEqual({
      status: 'pass',
      failures: 0,
    });
    const asOf = await openShopsmart(place.dir, place.warehouse, { as_of_date: '2026-06-30' });
    expect(await ruleOutcome(asOf)).toEqual({ status: 'fail', failures: 1 });
  });
});
