import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

async function build(files: Record<string, string>, model = 'probe') {
  const fx = writeFixture(files);
  fixtures.push(fx);
  const run = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
  const failure = run.results.results.find((r) => r.status !== 'success');
  expect(failure?.message ?? 'ok').toBe('ok');
  return queryWarehouse(fx.warehouse, `select * from main.${model}`);
}

// dbt's return() hands any Python value to the caller; the macro's text is not the value.
describe('macros return values to their callers (return of lists, dicts, numbers, none)', () => {
  it('a returned list is a list, a dict a dict, a number a number; code after return does not run', async () => {
    const rows = await build({
      'macros/values.sql': [
        "{% macro cols() %}{{ return(['a', 'b', 'c']) }}{% endmacro %}",
        "{% macro settings() %}\n  {{ return({'n': 3, 'name': 'x'}) }}\n{% endmacro %}",
        '{% macro three() %}{{ return(3) }}{% endmacro %}',
        '{% macro nothing() %}{{ return(none) }}{% endmacro %}',
        '{% macro early(flag) %}',
        '  {% if flag %}{{ return([1]) }}{% endif %}',
        "  {{ exceptions.raise_compiler_error('after return') }}",
        '  {{ return([2]) }}',
        '{% endmacro %}',
        '{% macro nested() %}{{ return(cols() | length + three()) }}{% endmacro %}',
      ].join('\n'),
      'models/probe.sql': [
        '{% set c = cols() %}{% set s = settings() %}',
        "select {{ c | length }} as n_cols, '{{ c[1] }}' as second,",
        "  {{ s['n'] }} as n, '{{ s.name }}' as name, {{ three() + 1 }} as four,",
        '  {{ nothing() is none }} as is_none, {{ early(true)[0] }} as early, {{ nested() }} as nested',
      ].join('\n'),
    });
    expect(rows).toEqual([
      { n_cols: 3, second: 'b', n: 3, name: 'x', four: 4, is_none: true, early: 1, nested: 6 },
    ]);
  });
});

describe('return forms packages use', () => {
  it('{% do return(x) %} returns x; a relation passes the checks packages make before using it', async () => {
    const rows = await build({
      'models/src.sql': 'select 1 as id',
      'macros/checks.sql': [
        '{% macro is_relation(obj) %}',
        "  {% do return(obj is mapping and obj.get('metadata', {}).get('type', '').endswith('Relation') and not obj.is_cte) %}",
        '{% endmacro %}',
        '{% macro parse_default() %}',
        '  {%- if not execute -%}{% do return(7) %}{%- endif -%}',
        '  {% do return(8) %}',
        '{% endmacro %}',
      ].join('\n'),
      'models/probe.sql': [
        "select {{ is_relation(ref('src')) }} as ref_ok, {{ is_relation('x') }} as text_ok,",
        '  {{ parse_default() }} as value',
      ].join('\n'),
    });
    expect(rows).toEqual([{ ref_ok: true, text_ok: false, value: 8 }]);
  });
});

describe("dbt's lenient printing and config helpers packages call", () => {
  it('a variable set only on some paths prints empty in a macro; should_store_failures / should_full_refresh answer', async () => {
    const rows = await build({
      'macros/gb.sql': [
        '{% macro gb(cols) %}',
        "{% if cols | length > 0 %}{% set select_cols = cols | join(', ') ~ ', ' %}{% endif %}",
        "'{{ select_cols }}x'",
        '{% endmacro %}',
      ].join('\n'),
      'models/probe.sql': [
        "select {{ gb([]) }} as empty_prefix, {{ gb(['a']) }} as with_prefix,",
        '  {{ should_store_failures() }} as store_failures, {{ should_full_refresh() }} as full_refresh',
      ].join('\n'),
    });
    expect(rows).toEqual([
      { empty_prefix: 'x', with_prefix: 'a, x', store_failures: false, full_refresh: false },
    ]);
  });
});

describe('macros that answer only at run time behind adapter.dispatch', () => {
  it('a model calling a dispatching macro whose implementation checks execute is rendered again when it runs', async () => {
    const rows = await build({
      'models/src.sql': "{{ config(materialized='table') }}select 1 as a, 2 as b",
      'macros/cols.sql': [
        "{% macro cols_of(rel) %}{{ return(adapter.dispatch('cols_of')(rel)) }}{% endmacro %}",
        '{% macro default__cols_of(rel) %}',
        '  {% if not execute %}{{ return([]) }}{% endif %}',
        '  {% set names = [] %}',
        '  {% for c in adapter.get_columns_in_relation(rel) %}{% do names.append(c.column) %}{% endfor %}',
        '  {{ return(names) }}',
        '{% endmacro %}',
      ].join('\n'),
      'models/probe.sql': "select '{{ cols_of(ref('src')) | join(',') }}' as cols",
    });
    expect(rows).toEqual([{ cols: 'a,b' }]);
  });
});

describe('do list.append / dict.update, dict.get(key, default)', () => {
  it('mutations inside loops survive the loop, in macros and in models', async () => {
    const rows = await build({
      'macros/collect.sql': [
        '{% macro collect(items) %}',
        '  {% set out = [] %}{% set by = {} %}{% set groups = {"odd": []} %}',
        '  {% for i in items %}',
        '    {% if i is odd %}{% do out.append(i * 10) %}{% do groups["odd"].append(i) %}{% endif %}',
        "    {% do by.update({'k' ~ i: i}) %}",
        '  {% endfor %}',
        '  {% do out.extend([0]) %}',
        "  {{ return({'out': out, 'by': by, 'odd': groups['odd']}) }}",
        '{% endmacro %}',
      ].join('\n'),
      'models/probe.sql': [
        '{% set r = collect([1, 2, 3]) %}',
        '{% set seen = [] %}{% for x in [5, 6] %}{% do seen.append(x) %}{% endfor %}',
        "select '{{ r.out | join(',') }}' as out, {{ r.by | length }} as n_by,",
        "  '{{ r.odd | join(',') }}' as odd, '{{ seen | join(',') }}' as seen,",
        "  {{ r.by.get('k2', 0) }} as got, {{ r.by.get('zz', 42) }} as fallback,",
        "  {{ r.by.get('zz') is none }} as missing_none",
      ].join('\n'),
    });
    expect(rows).toEqual([
      { out: '10,30,0', n_by: 3, odd: '1,3', seen: '5,6', got: 2, fallback: 42, missing_none: true },
    ]);
  });
});

describe('statement blocks, load_result and run_query tables (real DuckDB)', () => {
  it("load_result('x') has data, table (columns, rows) and response; run_query answers an agate-like table", async () => {
    const rows = await build({
      'models/src.sql': "select 1 as id, 'a' as label union all select 2, 'b'",
      'macros/q.sql': [
        '{% macro labels(rel) %}',
        "  {% call statement('labels', fetch_result=True) %}select id, label from {{ rel }} order by id{% endcall %}",
        '  {% if execute %}',
        "    {% set res = load_result('labels') %}",
        "    {{ return(res['table'].columns[1].values() | list) }}",
        '  {% endif %}',
        '  {{ return([]) }}',
        '{% endmacro %}',
      ].join('\n'),
      'models/probe.sql': [
        "{% set labels_found = labels(ref('src')) %}",
        "{% set t = run_query('select id, label from ' ~ ref('src') ~ ' order by id') %}",
        '{% set names = [] %}',
        '{% if execute %}{% for row in t %}{% do names.append(row.label ~ row.id) %}{% endfor %}{% endif %}',
        "select '{{ labels_found | join(',') }}' as labels,",
        '  {{ t.rows[1][0] if execute else 0 }} as second_id,',
        "  '{{ t.columns[0].name if execute else '' }}' as first_column,",
        "  '{{ t.column_names | join(',') if execute else '' }}' as names,",
        "  '{{ names | join(',') }}' as iterated",
      ].join('\n'),
    });
    expect(rows).toEqual([
      { labels: 'a,b', second_id: 2, first_column: 'id', names: 'id,label', iterated: 'a1,b2' },
    ]);
  });
});
