import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

// https://docs.getdbt.com/reference/dbt-jinja-functions/on-run-end-context : `results`, `schemas`
// and `database_schemas` exist in on-run-end hooks; a Result has node, status, timing,
// execution_time, adapter_response, message.
describe('on-run-end context (docs.getdbt.com/reference/dbt-jinja-functions/on-run-end-context)', () => {
  it('gives hooks results (status, timing, adapter_response, node), schemas and database_schemas', async () => {
    const fx = writeFixture({
      'dbt_project.yml': [
        'name: fixture',
        'profile: fixture',
        'on-run-end:',
        '  - "{{ log_results(results) }}"',
        "  - \"create table main.schemas_seen as select * from (values {% for s in schemas %}('{{ s }}'){{ ',' if not loop.last }}{% endfor %}) t(schema_name)\"",
        "  - \"create table main.db_schemas_seen as select * from (values {% for (d, s) in database_schemas %}('{{ d }}', '{{ s }}'){{ ',' if not loop.last }}{% endfor %}) t(db, schema_name)\"",
        'models:',
        '  fixture:',
        '    marts:',
        '      +schema: marts',
      ].join('\n'),
      'macros/log_results.sql': [
        '{% macro log_results(results) %}',
        'create table main.run_log as select * from (values',
        '{% for r in results %}',
        "('{{ r.node.unique_id }}', '{{ r.node.resource_type }}', '{{ r.status }}', {{ r.execution_time >= 0 }},",
        ' \'{{ r.timing | map(attribute="name") | join(",") }}\', {{ r.adapter_response.get(\'rows_affected\') or 0 }})',
        "{{ ',' if not loop.last }}",
        '{% endfor %}) t(unique_id, resource_type, status, timed, timing_names, rows_affected)',
        '{% endmacro %}',
      ].join('\n'),
      'models/a.sql': "{{ config(materialized='table') }}select 1 as x union all select 2",
      'models/marts/b.sql': 'select * from {{ ref("a") }}',
      'models/broken.sql': 'select * from no_such_table',
    });
    fixtures.push(fx);
    const { results } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(results.results.map((r) => r.status).sort()).toEqual(['error', 'success', 'success']);
    const log = await queryWarehouse(fx.warehouse, 'select * from main.run_log order by unique_id');
    expect(log).toEqual([
      {
        unique_id: 'model.fixture.a',
        resource_type: 'model',
        status: 'success',
        timed: true,
        timing_names: 'compile,execute',
        rows_affected: 2,
      },
      expect.objectContaining({ unique_id: 'model.fixture.b', status: 'success', timed: true }),
      expect.objectContaining({ unique_id: 'model.fixture.broken', status: 'error' }),
    ]);
    // Only schemas something was built into (the failed model built nothing).
    expect(await queryWarehouse(fx.warehouse, 'select * from main.schemas_seen order by 1')).toEqual([
      { schema_name: 'main' },
      { schema_name: 'main_marts' },
    ]);
    const pairs = await queryWarehouse(fx.warehouse, 'select * from main.db_schemas_seen order by 2');
    expect(pairs.map((p) => p.schema_name)).toEqual(['main', 'main_marts']);
  });
});
