import { advance, generateWarehouse } from '@shopsmart/mockgen';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, openShopsmart, problems, query, scratch } from './shopsmart-project.js';

/**
 * An order-independent checksum of a table's rows, without the `dbt_updated_at` audit column (the
 * time of the run that last wrote a row, which a full refresh moves by design).
 */
const checksum = (table: string) =>
  `select count(*) as row_count, coalesce(md5(string_agg(row_hash, '' order by row_hash)), '') as checksum from (select md5(t::varchar) as row_hash from (select columns(c -> c <> 'dbt_updated_at') from ${table}) t)`;

const place = scratch('e2e-incremental');
const incrementalState = new Map<string, Record<string, unknown>>();
const fullRefreshState = new Map<string, Record<string, unknown>>();
let incrementalModels: { name: string; relation: string }[] = [];
const runProblems: string[] = [];

beforeAll(async () => {
  await generateWarehouse({ warehousePath: place.warehouse, scale: 0.05, seed: 23, asOf: '2026-05-31' });
  let project = await openShopsmart(place.dir, place.warehouse);
  runProblems.push(...problems(project, await build(project)));
  // 30 generated days in three batches, each with late-arriving rows, each followed by an incremental build.
  for (let batch = 0; batch < 3; batch++) {
    await advance({ warehousePath: place.warehouse, days: 10 });
    project = await openShopsmart(place.dir, place.warehouse);
    runProblems.push(...problems(project, await build(project)));
  }
  incrementalModels = Object.values(project.manifest.nodes)
    .filter((n) => n.resourceType === 'model' && n.config.materialized === 'incremental' && n.relation)
    .map((n) => ({ name: n.name, relation: `"${n.relation?.schema}"."${n.relation?.identifier}"` }));
  for (const model of incrementalModels)
    incrementalState.set(model.name, (await query(place.warehouse, checksum(model.relation)))[0] ?? {});
  runProblems.push(
    ...problems(
      project,
      await build(project, { select: ['config.materialized:incremental'], fullRefresh: true }),
    ),
  );
  for (const model of incrementalModels)
    fullRefreshState.set(model.name, (await query(place.warehouse, checksum(model.relation)))[0] ?? {});
}, 600_000);

afterAll(() => place.remove());

describe('incremental models over 30 generated days', () => {
  it('run cleanly on every batch', () => {
    expect(runProblems).toEqual([]);
  });

  it('exist in the project (the large facts are incremental)', () => {
    expect(incrementalModels.map((m) => m.name)).toEqual(expect.arrayContaining(['fct_order_items']));
  });

  it('equal a full refresh, checksum for checksum', () => {
    for (const model of incrementalModels) {
      expect(incrementalState.get(model.name), model.name).toEqual(fullRefreshState.get(model.name));
    }
  });
});
