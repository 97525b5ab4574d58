import { afterEach, describe, expect, it } from 'vitest';
import { installPackages } from '../src/index.js';
import { type Fixture, loadAndRun, writeFixture } from './fixture-project.js';

// https://docs.getdbt.com/reference/data-test-configs : a generic test's definition may set
// configs with config() (dbt_utils' equal_rowcount sets fail_calc), which the test's YAML config
// overrides; fail_calc is the expression that counts failures ('count(*)' unless set); `where`
// filters the model the test reads, also when the test renders again at run time.
const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

const files = {
  'packages.yml': 'packages:\n  - local: vendor/checks\n',
  'vendor/checks/dbt_project.yml': 'name: checks\n',
  'vendor/checks/macros/row_gap.sql': [
    '{% test row_gap(model, expected) %}',
    "  {{ return(adapter.dispatch('test_row_gap', 'checks')(model, expected)) }}",
    '{% endtest %}',
    '{% macro default__test_row_gap(model, expected) %}',
    // Set at parse time, before the early return (as dbt_utils does).
    "{{ config(fail_calc = 'sum(abs(gap))') }}",
    "{%- if not execute -%}{{ return('') }}{%- endif -%}",
    'select count(*) - {{ expected }} as gap from {{ model }}',
    '{% endmacro %}',
    '{% test soft_positive(model, column_name) %}',
    "{{ config(severity = 'warn') }}",
    'select * from {{ model }} where {{ column_name }} <= 0',
    '{% endtest %}',
    // Reads the warehouse only when executing, so it renders again at run time.
    '{% test is_below(model, column_name, ceiling) %}',
    '{%- set selected = "*" if execute else "1" -%}',
    'select {{ selected }} from {{ model }} where {{ column_name }} >= {{ ceiling }}',
    '{% endtest %}',
  ].join('\n'),
  'models/numbers.sql': 'select 1 as n union all select 2 union all select -3\n',
  'models/_models.yml': [
    'version: 2',
    'models:',
    '  - name: numbers',
    '    data_tests:',
    // One row returned, but its gap is 0: passes under the macro's fail_calc.
    '      - checks.row_gap:',
    '          expected: 3',
    '      - checks.row_gap:',
    '          name: gap_of_one',
    '          expected: 2',
    // The YAML config wins over the macro's: the one row counts.
    '      - checks.row_gap:',
    '          name: counted_rows',
    '          expected: 3',
    '          config:',
    "            fail_calc: 'count(*)'",
    '    columns:',
    '      - name: n',
    '        data_tests:',
    '          - checks.soft_positive',
    '          - checks.soft_positive:',
    '              name: strict_positive',
    '              config:',
    '                severity: error',
    '          - checks.is_below:',
    '              ceiling: 2',
    '              config:',
    "                where: 'n < 0'",
    '          - checks.is_below:',
    '              name: below_two_unfiltered',
    '              ceiling: 2',
    '',
  ].join('\n'),
};

describe('configs a generic test sets for itself, fail_calc and where', () => {
  it('counts failures with fail_calc, lets YAML override the macro config, filters with where at run time', async () => {
    const fx = writeFixture(files);
    fixtures.push(fx);
    await installPackages(fx.dir);
    const { status, project } = await loadAndRun(fx.dir, { command: 'build', threads: 1 });
    expect(status).toMatchObject({
      numbers: 'success',
      checks_row_gap_numbers_3: 'pass',
      gap_of_one: 'fail',
      counted_rows: 'fail',
      checks_soft_positive_numbers_n: 'warn',
      strict_positive: 'fail',
      checks_is_below_numbers_2__n: 'pass',
      below_two_unfiltered: 'fail',
    });
    const config = (name: string) =>
      Object.values(project.manifest.nodes).find((n) => n.name === name)?.config as Record<string, unknown>;
    expect(config('checks_row_gap_numbers_3')).toMatchObject({
      fail_calc: 'sum(abs(gap))',
      severity: 'error',
    });
    expect(config('counted_rows')).toMatchObject({ fail_calc: 'count(*)' });
    expect(config('checks_soft_positive_numbers_n')).toMatchObject({ severity: 'warn' });
  });
});
