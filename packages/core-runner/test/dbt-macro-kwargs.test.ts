import { afterEach, describe, expect, it } from 'vitest';
import { installPackages } from '../src/index.js';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

// https://jinja.palletsprojects.com/en/stable/templates/#macros : a macro that reads the special
// variable `kwargs` takes keyword arguments it does not declare, and `m(**d)` spreads a dict into
// keyword arguments. dbt packages rely on both (dbt_utils' not_null_proportion reads `at_least`
// from kwargs; generic tests get `column_name` that way).
const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

/** A package written for these tests: a dispatched generic test and macros reading `kwargs`. */
const files = {
  'packages.yml': 'packages:\n  - local: vendor/bounds\n',
  'vendor/bounds/dbt_project.yml': 'name: bounds\n',
  'vendor/bounds/macros/at_least.sql': [
    '{% test at_least(model, group_by_columns=[]) %}',
    "  {{ return(adapter.dispatch('test_at_least', 'bounds')(model, group_by_columns, **kwargs)) }}",
    '{% endtest %}',
    '{% macro default__test_at_least(model, group_by_columns) %}',
    "{% set column_name = kwargs.get('column_name', kwargs.get('arg')) %}",
    "{% set floor = kwargs.get('floor', kwargs.get('arg', 0)) %}",
    'select * from {{ model }} where {{ column_name }} < {{ floor }}',
    '{% endmacro %}',
    '',
  ].join('\n'),
  'vendor/bounds/macros/labels.sql': [
    // Reads kwargs, and hands it on with ** to a macro declaring every name it gets.
    "{% macro label(prefix) %}'{{ prefix }}:{{ kwargs | dictsort | map('join', '=') | join(',') }}'{% endmacro %}",
    '{% macro spread(prefix) %}{{ bounds.parts(prefix, **kwargs) }}{% endmacro %}',
    "{% macro parts(prefix, left, right='r') %}'{{ prefix }}|{{ left }}|{{ right }}'{% endmacro %}",
    '',
  ].join('\n'),
  'models/numbers.sql': [
    'select 5 as n,',
    "  {{ bounds.label('p', b=2, a=1) }} as with_extra,",
    "  {{ bounds.label('q') }} as without_extra,",
    "  {{ bounds.spread('s', left='x') }} as spread",
    '',
  ].join('\n'),
  'models/_models.yml': [
    'version: 2',
    'models:',
    '  - name: numbers',
    '    columns:',
    '      - name: n',
    '        data_tests:',
    '          - bounds.at_least:',
    '              floor: 3',
    '          - bounds.at_least:',
    '              floor: 6',
    '',
  ].join('\n'),
};

describe('macros that read kwargs', () => {
  it('take undeclared keyword arguments from YAML test arguments, calls and ** spreads', async () => {
    const fx = writeFixture(files);
    fixtures.push(fx);
    await installPackages(fx.dir);
    const { status } = await loadAndRun(fx.dir, { command: 'build', threads: 1 });
    expect(status).toMatchObject({
      numbers: 'success',
      bounds_at_least_numbers_n__3: 'pass',
      bounds_at_least_numbers_n__6: 'fail',
    });
    expect(
      await queryWarehouse(fx.warehouse, 'select with_extra, without_extra, spread from main.numbers'),
    ).toEqual([{ with_extra: 'p:a=1,b=2', without_extra: 'q:', spread: 's|x|r' }]);
  });
});
