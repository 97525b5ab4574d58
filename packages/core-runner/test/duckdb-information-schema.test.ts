import { afterEach, describe, expect, it } from 'vitest';
import { qualifyInformationSchema } from '../src/adapter/duckdb/information-schema-rewrite.js';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

// Packages write `<database>.information_schema.tables` (dbt_utils' get_tables_by_pattern_sql);
// DuckDB keeps its information schema in the `system` catalog, covering every attached database.
const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

describe('<database>.information_schema on DuckDB', () => {
  it('becomes the system view restricted to that database, keeping an alias or taking the view name', () => {
    expect(qualifyInformationSchema('select table_name from wh.information_schema.tables where x = 1')).toBe(
      "select table_name from (select * from system.information_schema.tables where table_catalog = 'wh') as tables where x = 1",
    );
    expect(qualifyInformationSchema('select t.table_name from "my db".information_schema.columns t')).toBe(
      "select t.table_name from (select * from system.information_schema.columns where table_catalog = 'my db') t",
    );
    expect(qualifyInformationSchema('select * from wh.INFORMATION_SCHEMA.SCHEMATA')).toBe(
      "select * from (select * from system.information_schema.schemata where catalog_name = 'wh') as schemata",
    );
    for (const untouched of [
      'select * from information_schema.tables',
      'select * from system.information_schema.tables',
      "select 'wh.information_schema.tables' as text",
    ])
      expect(qualifyInformationSchema(untouched)).toBe(untouched);
  });

  it('answers a package macro listing tables by pattern, as dbt_utils does', async () => {
    const fx = writeFixture({
      'macros/tables_like.sql': [
        '{% macro tables_like(pattern) %}',
        '{% set found = run_query("select table_name from " ~ target.database ~ ".information_schema.tables where table_schema = \'" ~ target.schema ~ "\' and table_name like \'" ~ pattern ~ "\' order by table_name") %}',
        '{{ return(found.columns[0].values() if execute else []) }}',
        '{% endmacro %}',
      ].join('\n'),
      'models/events_a.sql': 'select 1 as id\n',
      'models/events_b.sql': 'select 2 as id\n',
      'models/listed.sql': [
        "-- depends_on: {{ ref('events_a') }}, {{ ref('events_b') }}",
        "select '{{ tables_like('events_%') | join(',') }}' as names",
        '',
      ].join('\n'),
    });
    fixtures.push(fx);
    const { status } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(status.listed).toBe('success');
    expect(await queryWarehouse(fx.warehouse, 'select names from main.listed')).toEqual([
      { names: 'events_a,events_b' },
    ]);
  });
});
