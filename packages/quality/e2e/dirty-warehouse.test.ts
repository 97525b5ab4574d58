import { SqlCompiler } from '@shopsmart/core-runner';
import { generateWarehouse } from '@shopsmart/mockgen';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, openShopsmart, query, scratch } from './shopsmart-project.js';

/**
 * Each defect mockgen --dirty injects, and the test that must catch it at the source: the test's
 * name (its generic test or singular test), the table and column it guards.
 */
const catchers: Record<string, { test: string; table: string; column?: string }> = {
  'duplicate_id:customers': { test: 'unique', table: 'customers', column: 'id' },
  'duplicate_id:orders': { test: 'unique', table: 'orders', column: 'id' },
  'null_product_id:order_items': { test: 'not_null', table: 'order_items', column: 'product_id' },
  'negative_quantity:order_items': { test: 'accepted_range', table: 'order_items', column: 'quantity' },
  'future_order_date:orders': { test: 'expression_is_true', table: 'orders', column: 'ordered_at' },
  'orphan_foreign_key:orders': { test: 'relationships', table: 'orders', column: 'customer_id' },
  'orphan_foreign_key:payments': { test: 'relationships', table: 'payments', column: 'order_id' },
  'cost_above_price:products': { test: 'cost_below_list_price', table: 'products' },
};

const place = scratch('e2e-dirty');
let project: Awaited<ReturnType<typeof openShopsmart>>;
let failing: { id: string; name: string; table: string; column?: string; test: string }[];
let defects: { defect: string; table_name: string; row_id: string; column_name: string }[];

beforeAll(async () => {
  await generateWarehouse({
    warehousePath: place.warehouse,
    scale: 0.05,
    seed: 11,
    asOf: '2026-06-30',
    dirty: true,
  });
  project = await openShopsmart(place.dir, place.warehouse);
  const outcome = await build(project);
  defects = (await query(place.warehouse, 'select * from raw._mockgen_defects')) as typeof defects;
  failing = outcome.results
    .filter((r) => r.status === 'fail' || r.status === 'error')
    .map((r) => {
      const node = project.manifest.nodes[r.uniqueId];
      const attached = node?.attachedNode
        ? (project.manifest.sources[node.attachedNode] ?? project.manifest.nodes[node.attachedNode])
        : undefined;
      const guarded = node?.testMetadata
        ? attached?.name
        : (node?.dependsOn
            .map((d) => project.manifest.nodes[d]?.name ?? project.manifest.sources[d]?.name)
            .find(Boolean) ?? '');
      return {
        id: r.uniqueId,
        name: node?.name ?? r.uniqueId,
        table: String(guarded ?? '').replace(/^stg_ecommerce__/, ''),
        column: node?.columnName,
        test: node?.testMetadata?.name ?? node?.name ?? '',
      };
    });
}, 240_000);

afterAll(() => place.remove());

/** Ids of the raw rows a failing test points at, read with the test's own compiled SQL. */
async function flaggedIds(testId: string, table: string): Promise<string[]> {
  const node = project.manifest.nodes[testId];
  const sql = new SqlCompiler(project).compile(testId);
  const raw = `raw.${table}`;
  switch (node?.testMetadata?.name) {
    case 'unique':
      return (await query(place.warehouse, `select unique_field::varchar as id from (${sql})`)).map((r) =>
        String(r.id),
      );
    case 'relationships':
      return (
        await query(
          place.warehouse,
          `select id::varchar as id from ${raw} where ${node.columnName} in (select from_field from (${sql}))`,
        )
      ).map((r) => String(r.id));
    default:
      return (await query(place.warehouse, `select id::varchar as id from (${sql})`)).map((r) =>
        String(r.id),
      );
  }
}

describe('the ShopSmart project on a --dirty warehouse', () => {
  it('injected every kind of defect', () => {
    const kinds = new Set(defects.map((d) => `${d.defect}:${d.table_name}`));
    expect([...kinds].sort()).toEqual(Object.keys(catchers).sort());
  });

  it('catches each injected defect with the test that guards it', () => {
    for (const [kind, catcher] of Object.entries(catchers)) {
      const caught = failing.some(
        (f) =>
          f.test === catcher.test &&
          f.table === catcher.table &&
          (catcher.column === undefined || f.column === catcher.column),
      );
      expect(
        caught,
        `${kind} should fail ${catcher.test} on ${catcher.table}.${catcher.column ?? ''}; failing: ${failing.map((f) => f.name).join(', ')}`,
      ).toBe(true);
    }
  });

  it('fails only tests that guard a dirtied table (nothing downstream is blamed)', () => {
    const dirtied = new Set(defects.map((d) => d.table_name));
    const unexplained = failing.filter((f) => !dirtied.has(f.table));
    expect(unexplained.map((f) => `${f.name} (${f.table})`)).toEqual([]);
  });

  it('points at exactly the injected rows', async () => {
    for (const [kind, catcher] of Object.entries(catchers)) {
      if (catcher.test === 'cost_below_list_price') continue;
      const test = failing.find(
        (f) => f.test === catcher.test && f.table === catcher.table && f.column === catcher.column,
      );
      if (!test) continue;
      const recorded = defects
        .filter((d) => `${d.defect}:${d.table_name}` === kind)
        .map((d) => String(d.row_id));
      const flagged = await flaggedIds(test.id, catcher.table);
      expect(new Set(flagged), kind).toEqual(new Set(recorded));
    }
  });
});
