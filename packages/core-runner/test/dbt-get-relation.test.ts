import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

// https://docs.getdbt.com/reference/dbt-jinja-functions/adapter#get_relation : returns a Relation,
// or None when the relation does not exist; load_relation(relation) is get_relation for a Relation.
describe('adapter.get_relation / load_relation (docs.getdbt.com/reference/dbt-jinja-functions/adapter)', () => {
  it('answers none for a missing table and the relation (with its type) for an existing one', async () => {
    const fx = writeFixture({
      'models/a.sql': "{{ config(materialized='table') }}select 1 as id",
      'models/v.sql': 'select 1 as id',
      'models/probe.sql': [
        "{% set missing = adapter.get_relation(database=this.database, schema='main', identifier='no_such_table') %}",
        "{% set found = adapter.get_relation(this.database, 'main', 'a') %}",
        "{% set view = adapter.get_relation(schema='main', identifier='v') %}",
        "{% set loaded = load_relation(ref('a')) %}",
        '{% set own = load_relation(this) %}',
        "-- depends_on: {{ ref('a') }} {{ ref('v') }}",
        'select {{ missing is none }} as missing_is_none,',
        "  '{{ found.identifier if found is not none else 'none' }}' as found_name,",
        "  '{{ found.type if found is not none else '' }}' as found_type,",
        "  '{{ view.type if view is not none else '' }}' as view_type,",
        "  '{{ loaded.identifier if loaded is not none else 'none' }}' as loaded_name,",
        '  {{ own is none }} as self_missing_first_run',
      ].join('\n'),
    });
    fixtures.push(fx);
    const { results } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(results.success).toBe(true);
    expect(await queryWarehouse(fx.warehouse, 'select * from main.probe')).toEqual([
      {
        missing_is_none: true,
        found_name: 'a',
        found_type: 'table',
        view_type: 'view',
        loaded_name: 'a',
        self_missing_first_run: true,
      },
    ]);
    // Second run: the model's own relation exists now.
    await loadAndRun(fx.dir, { command: 'run', threads: 1, select: ['probe'] });
    expect(await queryWarehouse(fx.warehouse, 'select self_missing_first_run from main.probe')).toEqual([
      { self_missing_first_run: false },
    ]);
  });
});
