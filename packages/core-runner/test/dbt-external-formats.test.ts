import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, profilesYml, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

// dbt-duckdb's README, "Writing to external files" (github.com/duckdb/dbt-duckdb): `format` is
// parquet (default), csv or json, inferred from the location's extension; without a location the
// file is `{external_root}/{name}.{format}` (external_root a profile setting); `delimiter` for csv;
// `partition_by` writes a Hive-partitioned folder.
describe('external materialization formats (github.com/duckdb/dbt-duckdb README: external files)', () => {
  it('writes csv, json and parquet where dbt-duckdb would, and reads them back through a view', async () => {
    const base = "select 1 as id, 'a' as cat union all select 2, 'b'";
    const fx = writeFixture({
      'models/by_ext.sql': `{{ config(materialized='external', location='out/by_ext.csv') }}${base}`,
      'models/semi.sql': `{{ config(materialized='external', format='csv', delimiter=';') }}${base}`,
      'models/as_json.sql': `{{ config(materialized='external', format='json') }}${base}`,
      'models/plain.sql': `{{ config(materialized='external') }}${base}`,
      'models/parts.sql': `{{ config(materialized='external', format='csv', options={'partition_by': 'cat'}) }}${base}`,
    });
    fixtures.push(fx);
    // The profile's external_root (relative to the project).
    fx.write({
      'profiles.yml': profilesYml('fixture', fx.warehouse).replace(
        '      threads',
        '      external_root: lake\n      threads',
      ),
    });
    const { results } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(results.success).toBe(true);
    expect(readFileSync(join(fx.dir, 'out/by_ext.csv'), 'utf8').split('\n')[0]).toBe('id,cat');
    expect(readFileSync(join(fx.dir, 'lake/semi.csv'), 'utf8').split('\n')[0]).toBe('id;cat');
    const json = readFileSync(join(fx.dir, 'lake/as_json.json'), 'utf8').trim().split('\n');
    expect(JSON.parse(json[0] as string)).toEqual({ id: 1, cat: 'a' });
    expect(readFileSync(join(fx.dir, 'lake/plain.parquet')).subarray(0, 4).toString()).toBe('PAR1');
    expect(existsSync(join(fx.dir, 'lake/parts/cat=a'))).toBe(true);
    for (const model of ['by_ext', 'semi', 'as_json', 'plain']) {
      expect(await queryWarehouse(fx.warehouse, `select id, cat from main.${model} order by id`)).toEqual([
        { id: 1, cat: 'a' },
        { id: 2, cat: 'b' },
      ]);
    }
    expect(await queryWarehouse(fx.warehouse, 'select count(*) as n from main.parts')).toEqual([{ n: 2 }]);
  });

  // dbt-duckdb's profile settings (github.com/duckdb/dbt-duckdb, credentials.py): external_root
  // defaults to "." (the directory dbt runs in): the project directory here.
  it('without external_root in the profile the file is {project}/{name}.{format}', async () => {
    const fx = writeFixture({
      'models/plain.sql': "{{ config(materialized='external') }}select 1 as id",
      'models/as_csv.sql': "{{ config(materialized='external', format='csv') }}select 2 as id",
      'models/reader.sql': "select * from {{ ref('plain') }} union all select * from {{ ref('as_csv') }}",
    });
    fixtures.push(fx);
    const { results } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(results.success).toBe(true);
    expect(readFileSync(join(fx.dir, 'plain.parquet')).subarray(0, 4).toString()).toBe('PAR1');
    expect(readFileSync(join(fx.dir, 'as_csv.csv'), 'utf8')).toBe('id\n2\n');
    expect(existsSync(join(fx.dir, 'warehouse'))).toBe(false);
    expect(await queryWarehouse(fx.warehouse, 'select id from main.reader order by id')).toEqual([
      { id: 1 },
      { id: 2 },
    ]);
  });
});
