import { afterEach, describe, expect, it } from 'vitest';
import { installPackages } from '../src/index.js';
import { caught, type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

// https://docs.getdbt.com/docs/build/packages : a package's macros are called as <package>.<macro>,
// from the root project's models and from other packages' macros. What goes wrong inside such a
// macro must be reported as itself, and a query that returns no rows still has its columns
// (https://docs.getdbt.com/reference/dbt-jinja-functions/statement-blocks : load_result(...).table
// is an agate table).
const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

/** Two packages written for these tests: `lookup` reads the warehouse, `wrapper` calls into it. */
const packages = {
  'packages.yml': 'packages:\n  - local: vendor/lookup\n  - local: vendor/wrapper\n',
  'vendor/lookup/dbt_project.yml': 'name: lookup\n',
  'vendor/lookup/macros/first_cell.sql': [
    "{% macro first_cell(query, default=none) %}{{ return(adapter.dispatch('first_cell', 'lookup')(query, default)) }}{% endmacro %}",
    '{% macro default__first_cell(query, default) %}',
    "{%- call statement('first_cell', fetch_result=True) -%}{{ query }}{%- endcall -%}",
    '{%- if execute -%}',
    "{%- set cells = load_result('first_cell').table.columns[0].values() -%}",
    '{%- set found = default if cells | length == 0 else cells[0] -%}',
    '{%- else -%}{%- set found = default -%}{%- endif -%}',
    '{{ return(found) }}',
    '{% endmacro %}',
    '{% macro broken(x) %}',
    '{%- set nothing = none -%}',
    '{{ nothing.values() }}',
    '{% endmacro %}',
    '',
  ].join('\n'),
  'vendor/wrapper/dbt_project.yml': 'name: wrapper\n',
  'vendor/wrapper/macros/wrap.sql': [
    '{% macro quoted_first_cell(query, default) %}{{ dbt.string_literal(lookup.first_cell(query, default)) }}{% endmacro %}',
    '{% macro calls_broken() %}{{ lookup.broken(1) }}{% endmacro %}',
    '',
  ].join('\n'),
};

async function build(models: Record<string, string>) {
  const fx = writeFixture({ ...packages, ...models });
  fixtures.push(fx);
  await installPackages(fx.dir);
  const outcome = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
  const message = (name: string) =>
    outcome.results.results.find((r) => r.uniqueId === `model.fixture.${name}`)?.message ?? '';
  return { fx, ...outcome, message };
}

describe('calls through a package namespace', () => {
  it('take the default of a query with no rows, twice in one model and nested in dbt.string_literal', async () => {
    const { fx, status, message } = await build({
      'models/cells.sql': [
        '{% set empty = "select 7 as n limit 0" %}',
        'select {{ lookup.first_cell(empty, 5) }} as fallback,',
        '  {{ lookup.first_cell("select 42 as n", 0) }} as found,',
        "  {{ dbt.string_literal(lookup.first_cell(empty, 'none here')) }} as text,",
        "  {{ wrapper.quoted_first_cell(empty, 'via wrapper') }} as wrapped",
        '',
      ].join('\n'),
    });
    expect(message('cells')).not.toMatch(/error/i);
    expect(status.cells).toBe('success');
    expect(await queryWarehouse(fx.warehouse, 'select * from main.cells')).toEqual([
      { fallback: 5, found: 42, text: 'none here', wrapped: 'via wrapper' },
    ]);
  });

  it("report an error raised inside the package's macro as itself, with the macro's file and line", async () => {
    for (const model of [
      'select {{ lookup.broken(1) }} as x\n',
      'select {{ wrapper.calls_broken() }} as x\n',
    ]) {
      const fx = writeFixture({ ...packages, 'models/broken.sql': model });
      fixtures.push(fx);
      await installPackages(fx.dir);
      const error = await caught(() => loadAndRun(fx.dir, { command: 'run', threads: 1 }));
      expect({ file: error.file, line: error.line }).toEqual({
        file: 'lookup:macros/first_cell.sql',
        line: 12,
      });
      expect(error.message).toContain('none has no method named values');
      expect(error.message).not.toContain('map has no method');
    }
  });
});
