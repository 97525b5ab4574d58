import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, loadFixture, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

// dbt's documented behaviour: https://docs.getdbt.com/reference/dbt-jinja-functions/config
// (config.get(name, default) — optional with a default; config.require(name) — an error naming the
// missing key). At parse time dbt's config object answers '' and the node renders again to run.
describe('config.get / config.require in models (docs.getdbt.com/reference/dbt-jinja-functions/config)', () => {
  it('config.get returns the final config value, the default argument, or none', async () => {
    const fx = writeFixture({
      'dbt_project.yml': 'name: fixture\nprofile: fixture\nmodels:\n  fixture:\n    +owner_team: growth\n',
      'macros/mat.sql': "{% macro mat() %}'{{ config.get('materialized') }}'{% endmacro %}",
      'models/m.sql': [
        "{{ config(materialized='table', my_key='mine') }}",
        'select \'{{ config.get("materialized") }}\' as materialized,',
        "  '{{ config.get('my_key') }}' as my_key,",
        "  '{{ config.get('owner_team') }}' as from_project,",
        "  '{{ config.get('not_set', 'fallback') }}' as with_default,",
        "  '{{ config.get('not_set', default='kw') }}' as with_kw_default,",
        "  {{ 'true' if config.get('not_set') is none else 'false' }} as missing_is_none,",
        '  {{ mat() }} as via_macro',
      ].join('\n'),
    });
    fixtures.push(fx);
    const { results } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(results.success).toBe(true);
    expect(await queryWarehouse(fx.warehouse, 'select * from main.m')).toEqual([
      {
        materialized: 'table',
        my_key: 'mine',
        from_project: 'growth',
        with_default: 'fallback',
        with_kw_default: 'kw',
        missing_is_none: true,
        via_macro: 'table',
      },
    ]);
    // It was built as the config says (a table, not the default view).
    expect(
      await queryWarehouse(
        fx.warehouse,
        "select table_type from information_schema.tables where table_name = 'm'",
      ),
    ).toEqual([{ table_type: 'BASE TABLE' }]);
  });

  it("config.require of a missing key fails that model with dbt's message; the project still parses and the rest runs", async () => {
    const fx = writeFixture({
      'models/needs_key.sql': "select '{{ config.require('partner_id') }}' as p",
      'models/has_key.sql': "{{ config(partner_id='p-1') }}select '{{ config.require('partner_id') }}' as p",
      'models/plain.sql': 'select 1 as x',
    });
    fixtures.push(fx);
    // Parsing the whole project succeeds (dbt's parse-time config answers '').
    const project = await loadFixture(fx.dir);
    expect(Object.keys(project.manifest.nodes)).toContain('model.fixture.needs_key');
    const { status, events } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(status).toEqual({ needs_key: 'error', has_key: 'success', plain: 'success' });
    const messages = JSON.stringify(events);
    expect(messages).toContain(
      "Model 'model.fixture.needs_key' does not define a required config parameter 'partner_id'.",
    );
    expect(await queryWarehouse(fx.warehouse, 'select p from main.has_key')).toEqual([{ p: 'p-1' }]);
  });
});
