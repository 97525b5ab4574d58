import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, writeFixture } from './fixture-project.js';
import { duckdbTarget, postgresTarget, usePostgres, type WarehouseTarget } from './warehouse-targets.js';

/**
 * A second build over an existing warehouse: reloading a seed replaces its table, and on Postgres
 * dropping the old table cascades to the views built on it. The views' own swap must then still
 * succeed (the relation it renames aside is already gone), so the second build equals the first.
 */
let stopPostgres: () => void = () => undefined;
beforeAll(() => {
  stopPostgres = usePostgres();
});
afterAll(() => stopPostgres());

describe.each([duckdbTarget, postgresTarget])('a second build on $type', (warehouse: WarehouseTarget) => {
  const fixtures: Fixture[] = [];
  afterAll(() => {
    for (const fx of fixtures) fx.remove();
  });

  it('rebuilds the views and tables on a reloaded seed', async () => {
    const schema = `ssa_${randomBytes(4).toString('hex')}`;
    const fx = writeFixture(
      {
        'seeds/regions.csv': 'id,region\n1,north\n2,south\n',
        'models/region_names.sql': "select id, upper(region) as name from {{ ref('regions') }}",
        'models/region_count.sql':
          "{{ config(materialized='table') }}\nselect count(*) as regions from {{ ref('region_names') }}",
      },
      { bare: true },
    );
    fixtures.push(fx);
    fx.write({
      'dbt_project.yml': 'name: fixture\nprofile: fixture\n',
      'profiles.yml': `fixture:\n  target: dev\n  outputs:\n    dev:\n${warehouse.output(fx.dir, schema, 2)}`,
    });
    const first = await loadAndRun(fx.dir, { command: 'build', writeArtifacts: false });
    expect(first.results.success).toBe(true);
    fx.write({ 'seeds/regions.csv': 'id,region\n1,north\n2,south\n3,west\n' });
    const second = await loadAndRun(fx.dir, { command: 'build', writeArtifacts: false });
    expect(second.results.results.filter((r) => r.status === 'error').map((r) => r.error?.message)).toEqual(
      [],
    );
    expect(second.status).toMatchObject({
      regions: 'success',
      region_names: 'success',
      region_count: 'success',
    });
    expect(await warehouse.query(fx.dir, `select name from "${schema}"."region_names" order by id`)).toEqual([
      { name: 'NORTH' },
      { name: 'SOUTH' },
      { name: 'WEST' },
    ]);
    expect(await warehouse.query(fx.dir, `select regions from "${schema}"."region_count"`)).toEqual([
      { regions: 3 },
    ]);
  });
});
