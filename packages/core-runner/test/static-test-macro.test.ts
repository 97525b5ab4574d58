import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findBlocks } from '../src/template/block-extractor.js';
import { builtinMacroFiles } from '../src/template/builtin-macros.js';
import { ParseScope } from '../src/template/parse-scope.js';
import { renderStatic } from '../src/template/static-renderer.js';
import { parseStaticTestMacro } from '../src/template/static-test-renderer.js';
import { TemplateEngine } from '../src/template/template-engine.js';
import { VarResolver } from '../src/template/var-resolver.js';

/**
 * Generic tests (and macros) with `{% if %}`/`{% for %}`/`{% set %}` logic are expanded without the
 * template engine (static-test-renderer.ts). Every call below is rendered both ways and must come
 * out byte for byte the same, refs included; calls the static path cannot be sure of are left to
 * the engine.
 */
const root = dirname(dirname(dirname(dirname(fileURLToPath(import.meta.url)))));
const genericDir = join(root, 'packages/quality/tests/generic');
const qualityFiles = readdirSync(genericDir)
  .filter((f) => f.endsWith('.sql'))
  .map((f) => {
    const text = readFileSync(join(genericDir, f), 'utf8');
    const names = findBlocks(text).map((b) => (b.kind === 'test' ? `test_${b.name}` : b.name));
    return { path: `tests/generic/${f}`, text, names };
  });

/** One construct per macro, each printed with its arguments. */
const constructs = `{% macro m_if(a, b=none) %}<{% if a %}A{% elif b is not none %}B{% else %}C{% endif %}>{% endmacro %}
{% macro m_trim(a) -%}
    x {%- if a %}
      y {{- a -}}
    {% endif -%}  z {# c #} {#- d -#}  w
{%- endmacro %}
{% macro m_for(items, sep=', ') %}{% for i in items -%}
  [{{ loop.index }}/{{ loop.length }}{{ loop.index0 }}{{ i }}{% if loop.first %}F{% endif %}{% if not loop.last %}{{ sep }}{% endif %}]
{%- endfor %}{% endmacro %}
{% macro m_set(a, items=[]) %}{%- set s = 'p_' ~ a | replace('.', '_') | lower %}{% set t = (items | join(', ') ~ ', ') if items else '' %}{{ s }}|{{ t }}|{{ (['z'] + items) | join('-') }}{% endmacro %}
{% macro m_ops(a, b) %}{{ a == b }} {{ a != b }} {{ a and b }} {{ a or b }} {{ not a }} {{ 'y' if a else 'n' }}{{ 'q' if b }}{{ a + b }}{% endmacro %}
{% macro m_print(a) %}{{ a }}|{{ a ~ '' }}|{{ a | replace('1', 'one') }}{% endmacro %}
{% macro m_upper(a) %}{{ a | upper }}{{ a|lower }}{% endmacro %}
{% macro m_quoted(a, close='%}') %}{{ a ~ '%}' }}{{ close }}{% if a == '-%}' %}!{% endif %}{% endmacro %}
`;

function engineFor(files: { path: string; text: string; names: string[] }[]) {
  return new TemplateEngine(
    [
      { layer: 'shopsmart', visible: ['shopsmart'], files: builtinMacroFiles },
      { layer: 'q', visible: ['q', 'shopsmart'], files },
    ],
    { target: { name: 'dev', type: 'duckdb', schema: 'main' } },
  );
}

const vars = new VarResolver({}, {}, new Map());
const newScope = () => new ParseScope('q', vars, { name: 'n', unique_id: 'test.q.n', package_name: 'q' });

/** Renders `call` both ways: [static or undefined, engine output or its error]. */
function both(engine: TemplateEngine, call: string): [string | undefined, string] {
  const fast = newScope();
  const fastOut = renderStatic(
    call,
    fast,
    (name) => engine.macrosVisibleFrom('q').has(name),
    (name) => engine.staticMacro('q', name),
  );
  const slow = newScope();
  let slowOut: string;
  try {
    slowOut = engine.render({ file: 'models/x.yml', source: call, layer: 'q', scope: slow });
  } catch (error) {
    slowOut = `error: ${(error as Error).message}`;
  }
  if (fastOut !== undefined) {
    expect(fastOut, call).toBe(slowOut);
    expect(fast.refs, call).toEqual(slow.refs);
    expect(fast.sourceCalls, call).toEqual(slow.sourceCalls);
  }
  return [fastOut, slowOut];
}

describe('static expansion of generic tests with logic', () => {
  const engine = engineFor(qualityFiles);

  it("gives the engine's text for the project's generic tests, and takes the common ones itself", () => {
    const m = "model=ref('orders')";
    const staticCalls = [
      `{{ test_accepted_range(${m}, column_name="amount", min_value=0) }}`,
      `{{ test_accepted_range(${m}, column_name="amount", max_value=100) }}`,
      `{{ test_accepted_range(${m}, column_name="amount", min_value=0, max_value=100, inclusive=false) }}`,
      `{{ test_accepted_range(${m}, column_name="amount") }}`,
      `{{ test_accepted_range(${m}, column_name="amount", min_value="'2020-01-01'", max_value="current_date") }}`,
      `{{ test_expression_is_true(${m}, expression="amount >= 0") }}`,
      `{{ test_expression_is_true(${m}, column_name="amount", expression=">= 0") }}`,
      `{{ test_expression_is_true(${m}, expression="status in ('a', 'b')") }}`,
      `{{ test_accepted_values(${m}, column_name="status", values=["placed", "it's", "x"]) }}`,
      `{{ test_accepted_values(${m}, column_name="status", values=[1, 2, true]) }}`,
      `{{ test_accepted_values(${m}, column_name="n", values=[1, 2], quote=false) }}`,
      `{{ test_accepted_values(${m}, column_name="status", values=[]) }}`,
      `{{ test_not_null(${m}, column_name="id") }}`,
      `{{ test_unique(${m}, column_name="id") }}`,
      `{{ test_relationships(${m}, column_name="customer_id", to=ref('customers'), field="customer_id") }}`,
      `{{ test_sequential_values(${m}, column_name="day_number") }}`,
      `{{ test_sequential_values(${m}, column_name="Order.Date", interval=7, datepart="day", group_by_columns=["a", "b"]) }}`,
      `{{ test_equal_rowcount(${m}, compare_model=ref('other')) }}`,
      `{{ test_equal_rowcount(${m}, compare_model=ref('other'), group_by_columns=["day", "kind"]) }}`,
      `{{ test_not_empty_string(${m}, column_name="name") }}`,
    ];
    for (const call of staticCalls) {
      const [fast, slow] = both(engine, call);
      expect(slow, call).not.toMatch(/^error/);
      expect(fast, call).toBeTypeOf('string');
    }
  });

  it('leaves calls it cannot be sure of to the engine', () => {
    const m = "model=ref('orders')";
    for (const call of [
      // a float, none, a nested dict or a missing argument
      `{{ test_accepted_range(${m}, column_name="amount", min_value=0.5) }}`,
      `{{ test_accepted_range(${m}, column_name="amount", min_value=none) }}`,
      `{{ test_expression_is_true(${m}) }}`,
      `{{ test_accepted_values(${m}, column_name="status") }}`,
      // a list printed, an unknown argument, a string with an escape
      `{{ test_expression_is_true(${m}, expression=["a"]) }}`,
      `{{ test_expression_is_true(${m}, expression="a", other=1) }}`,
      `{{ test_expression_is_true(${m}, expression="a\\\\b") }}`,
      // macros that call other macros or use set inside loops
      `{{ test_expect_column_values_to_match_regex(${m}, column_name="a", regex="^x") }}`,
      `{{ test_unique_combination_of_columns(${m}, combination_of_columns=["a", "b"]) }}`,
      `{{ test_mutually_exclusive_ranges(${m}, lower_bound_column="a", upper_bound_column="b") }}`,
    ]) {
      const [fast] = both(engine, call);
      expect(fast, call).toBeUndefined();
    }
  });
});

describe('static expansion of each construct', () => {
  const engine = engineFor([
    {
      path: 'macros/constructs.sql',
      text: constructs,
      names: findBlocks(constructs).map((b) => b.name),
    },
  ]);

  it('matches the engine on if/elif/else, for and loop, set, operators, filters, whitespace control', () => {
    const calls = [
      "{{ m_if('x') }}",
      "{{ m_if('') }}",
      "{{ m_if('', 'b') }}",
      "{{ m_if(0, '') }}",
      '{{ m_if([]) }}',
      '{{ m_if([1], b=2) }}',
      '{{ m_if({}) }}',
      "{{ m_if({'k': 1}) }}",
      '{{ m_if(false, b=false) }}',
      "{{ m_trim('v') }}",
      "{{ m_trim('') }}",
      "{{ m_for(['a', 'b', 'c']) }}",
      '{{ m_for([1], sep=";") }}',
      '{{ m_for([]) }}',
      "{{ m_set('Order.Date') }}",
      "{{ m_set('x', items=['a', 'b']) }}",
      "{{ m_ops('a', 'a') }}",
      "{{ m_ops('a', 'b') }}",
      "{{ m_ops('', 'b') }}",
      '{{ m_ops(1, 2) }}',
      '{{ m_ops(0, 0) }}',
      "{{ m_print('s1') }}",
      '{{ m_print(12) }}',
      '{{ m_print(true) }}',
      '{{ m_print(false) }}',
      "{{ m_upper('MiXed') }}",
      "{{ m_quoted('x') }}",
      "{{ m_quoted('-%}', close='{{') }}",
      "a {{ m_if('x') }} b {{ m_for(['q']) }} c\n",
    ];
    for (const call of calls) {
      const [fast] = both(engine, call);
      expect(fast, call).toBeTypeOf('string');
    }
  });

  it('gives up on what it does not read', () => {
    for (const text of [
      '{% macro m(a) %}{{ a(1) }}{% endmacro %}',
      '{% macro m(a) %}{{ a.b }}{% endmacro %}',
      '{% macro m(a) %}{{ a[0] }}{% endmacro %}',
      '{% macro m(a) %}{{ a | trim }}{% endmacro %}',
      '{% macro m(a) %}{{ a is string }}{% endmacro %}',
      '{% macro m(a) %}{{ a - 1 }}{% endmacro %}',
      '{% macro m(a) %}{{ a < 1 }}{% endmacro %}',
      '{% macro m(a) %}{{ a in [1] }}{% endmacro %}',
      '{% macro m(a) %}{% for x in a %}{% set y = x %}{% endfor %}{% endmacro %}',
      '{% macro m(a) %}{% for x in a %}{% else %}e{% endfor %}{% endmacro %}',
      '{% macro m(a) %}{% if a %}x{% endmacro %}',
      '{% macro m(a) %}{% raw %}{{ a }}{% endraw %}{% endmacro %}',
      '{% macro m(a) %}{%+ if a %}x{% endif %}{% endmacro %}',
      '{% macro m(a=1.5) %}{{ a }}{% endmacro %}',
      '{% macro m(caller) %}{{ caller }}{% endmacro %}',
      '{% macro m(a) %}\u00e9{{ a }}{% endmacro %}',
      '{% macro m(a) %}{{ a }}{% endtest %}',
    ])
      expect(parseStaticTestMacro(text), text).toBeUndefined();
    expect(
      parseStaticTestMacro('{% macro m(a, b=[1]) %}{% if a %}{{ b | join }}{% endif %}{% endmacro %}'),
    ).toBeDefined();
  });

  it('leaves values whose printed form or truth it cannot be sure of to the engine', () => {
    for (const call of [
      "{{ m_if(ref('x')) }}", // the truth of a relation
      "{{ m_print(['a']) }}", // a list printed
      "{{ m_print({'a': 1}) }}",
      "{{ m_upper('\u00df') }}", // case mapping beyond ASCII
      '{{ m_ops([1], [2]) }}', // == on lists
      '{{ m_ops(true, false) }}', // == and + on booleans
    ]) {
      const [fast] = both(engine, call);
      expect(fast, call).toBeUndefined();
    }
  });
});
