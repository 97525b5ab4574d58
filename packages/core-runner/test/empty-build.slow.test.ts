import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, writeFixture } from './fixture-project.js';
import { duckdbTarget, postgresTarget, usePostgres, type WarehouseTarget } from './warehouse-targets.js';

/**
 * `build --empty` on every adapter: refs and sources read zero rows through a subquery, which
 * PostgreSQL 15 accepts only with an alias; a model's own alias after the ref stays valid.
 */
let stopPostgres: () => void = () => undefined;
beforeAll(() => {
  stopPostgres = usePostgres();
});
afterAll(() => stopPostgres());

describe.each([duckdbTarget, postgresTarget])('build --empty on $type', (warehouse: WarehouseTarget) => {
  const fixtures: Fixture[] = [];
  afterAll(() => {
    for (const fx of fixtures) fx.remove();
  });

  it('builds every model with its columns and no rows, bare and aliased refs alike', async () => {
    const schema = `ssa_${randomBytes(4).toString('hex')}`;
    const fx = writeFixture(
      {
        'seeds/regions.csv': 'id,region\n1,north\n2,south\n',
        'models/bare.sql':
          "{{ config(materialized='table') }}\nselect id, region from {{ ref('regions') }} where id > 0",
        'models/aliased.sql':
          "{{ config(materialized='table') }}\nselect r.id, b.region from {{ ref('regions') }} as r\ninner join {{ ref('bare') }} b on r.id = b.id",
        'models/schema.yml':
          'version: 2\nmodels:\n  - name: bare\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n',
      },
      { bare: true },
    );
    fixtures.push(fx);
    fx.write({
      'dbt_project.yml': 'name: fixture\nprofile: fixture\n',
      'profiles.yml': `fixture:\n  target: dev\n  outputs:\n    dev:\n${warehouse.output(fx.dir, schema, 2)}`,
    });
    const { results, status } = await loadAndRun(fx.dir, {
      command: 'build',
      empty: true,
      writeArtifacts: false,
    });
    expect(results.results.filter((r) => r.status === 'error').map((r) => r.error?.message)).toEqual([]);
    expect(status).toMatchObject({ bare: 'success', aliased: 'success' });
    for (const model of ['bare', 'aliased']) {
      expect(await warehouse.query(fx.dir, `select count(*) as n from "${schema}"."${model}"`)).toEqual([
        { n: 0 },
      ]);
      const columns = await warehouse.query(
        fx.dir,
        `select column_name from information_schema.columns where table_schema = '${schema}' and table_name = '${model}' order by ordinal_position`,
      );
      expect(columns.map((c) => c.column_name)).toEqual(['id', 'region']);
    }
  });
});
