import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

// https://docs.getdbt.com/reference/dbt-jinja-functions/target : target.database; dbt-duckdb names
// the database after the file (github.com/duckdb/dbt-duckdb README, "Attaching additional databases").
describe('target.database (docs.getdbt.com/reference/dbt-jinja-functions/target)', () => {
  it('is the DuckDB file name, so three-part names written with it resolve', async () => {
    const fx = writeFixture({
      'models/a.sql': "{{ config(materialized='table') }}select 1 as id",
      'models/b.sql':
        'select \'{{ target.database }}\' as db, (select count(*) from "{{ target.database }}"."{{ target.schema }}"."a") as n\n-- depends_on: {{ ref(\'a\') }}',
    });
    fixtures.push(fx);
    const { results } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(results.success).toBe(true);
    expect(await queryWarehouse(fx.warehouse, 'select db, n from main.b')).toEqual([{ db: 'wh', n: 1 }]);
  });
});
