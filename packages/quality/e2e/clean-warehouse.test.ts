import { generateWarehouse } from '@shopsmart/mockgen';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, openShopsmart, problems, query, scratch } from './shopsmart-project.js';

const place = scratch('e2e-clean');
let outcome: Awaited<ReturnType<typeof build>>;
let project: Awaited<ReturnType<typeof openShopsmart>>;

beforeAll(async () => {
  await generateWarehouse({ warehousePath: place.warehouse, scale: 0.05, seed: 11, asOf: '2026-06-30' });
  project = await openShopsmart(place.dir, place.warehouse);
  outcome = await build(project);
}, 240_000);

afterAll(() => place.remove());

describe('the ShopSmart project on a clean generated warehouse', () => {
  it('builds every seed, model and snapshot and passes every data and unit test', () => {
    expect(problems(project, outcome)).toEqual([]);
    expect(outcome.results.filter((r) => r.status === 'skipped')).toEqual([]);
    expect(outcome.success).toBe(true);
  });

  it('is the whole project: every layer and well over 150 data tests', () => {
    const byType = (type: string) => outcome.results.filter((r) => r.uniqueId.startsWith(`${type}.`)).length;
    const layers = new Set(outcome.results.map((r) => r.uniqueId.split('.')[1]));
    expect([...layers].sort()).toEqual(['business_rules', 'intermediate', 'marts', 'staging']);
    expect(byType('model')).toBeGreaterThan(40);
    expect(byType('snapshot')).toBe(3);
    expect(byType('test')).toBeGreaterThan(150);
  });

  it('writes the marts as tables and the staging models as views', async () => {
    const kinds = await query(
      place.warehouse,
      "select table_name, table_type from information_schema.tables where table_name in ('stg_ecommerce__orders', 'fct_orders', 'dim_customers')  order by 1",
    );
    expect(kinds).toEqual([
      { table_name: 'dim_customers', table_type: 'BASE TABLE' },
      { table_name: 'fct_orders', table_type: 'BASE TABLE' },
      { table_name: 'stg_ecommerce__orders', table_type: 'VIEW' },
    ]);
  });
});
