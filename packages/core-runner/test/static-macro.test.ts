import { afterAll, describe, expect, it } from 'vitest';
import {
  buildManifest,
  type ParsedProject,
  type ProjectDefinition,
  readProject,
  SqlCompiler,
} from '../src/index.js';
import { ParseScope } from '../src/template/parse-scope.js';
import { parseStaticMacro, renderStatic, type StaticMacro } from '../src/template/static-renderer.js';
import { VarResolver } from '../src/template/var-resolver.js';
import { type Fixture, writeFixture } from './fixture-project.js';

/**
 * Macros that only print their parameters are expanded by the static path (no template engine);
 * everything must come out as the engine renders it, byte for byte, including generic tests whose
 * `model=ref(...)` argument is a nested call.
 */
const project = {
  'dbt_project.yml': 'name: macros\nprofile: macros\nmodels:\n  macros:\n    +materialized: view\n',
  'macros/money.sql': `{% macro cents_to_dollars(column, scale=2) -%}
round({{ column }} / 100.0, {{ scale }})
{%- endmacro %}

{% macro label(text, suffix='_x') %} '{{text}}{{ suffix }}' {% endmacro %}

{%- macro trimmed_outer(a) -%}
  [{{ a }}]
{%- endmacro -%}

{% macro wrap(rel) %}(select * from {{ rel }}){% endmacro %}
{% macro uses_filter(x) %}{{ x | upper }}{% endmacro %}
{% macro uses_global(x) %}{{ x }}{{ target.name }}{% endmacro %}
{% macro no_args() %}select 42 as answer{% endmacro %}
`,
  'macros/overrides.sql': '{% macro shadowed_by_root() %}root{% endmacro %}\n',
  'seeds/raw_rows.csv': 'id,amount\n1,100\n2,250\n',
  'models/m_positional.sql':
    "select id, {{ cents_to_dollars('amount') }} as a, {{ cents_to_dollars('amount', 4) }} as b from {{ ref('raw_rows') }}\n",
  'models/m_kwargs.sql':
    "select {{ cents_to_dollars(scale=3, column='amount') }} as a,{{ label('x') }}as l, {{ label(\"y\", suffix='_z') }} as m from {{ ref('raw_rows') }}\n",
  'models/m_trim.sql': "select '{{ trimmed_outer('v') }}' as t, {{ no_args() }}\n",
  'models/m_nested_ref.sql':
    "{{ config(materialized='table') }}select * from {{ wrap(ref('m_positional')) }} join {{ ref('m_kwargs') }} using (id)\n",
  'models/m_negative.sql': "select {{ cents_to_dollars('amount', -1) }} as a from {{ ref('raw_rows') }}\n",
  // A filter (the static path for macros with logic) and, on the engine path, a global, a float argument.
  'models/e_filter.sql': "select '{{ uses_filter('abc') }}' as u\n",
  'models/e_global.sql': "select '{{ uses_global('abc') }}' as g\n",
  'models/e_float.sql': "select {{ cents_to_dollars('amount', 2.5) }} as a from {{ ref('raw_rows') }}\n",
  'models/schema.yml': `version: 2
models:
  - name: m_positional
    columns:
      - name: id
        data_tests: [unique, not_null]
  - name: m_kwargs
    columns:
      - name: a
        data_tests:
          - relationships: { to: "ref('m_positional')", field: a }
          - accepted_values: { values: [1, 2] }
`,
};

const fixtures: Fixture[] = [];
afterAll(() => {
  for (const f of fixtures) f.remove();
});

function parseBoth(definition: ProjectDefinition): [ParsedProject, ParsedProject] {
  const target = definition.targets[definition.defaultTarget];
  if (!target) throw new Error('no target');
  const common = {
    definition,
    target,
    invocationId: 'same',
    runStartedAt: new Date('2026-01-02T03:04:05.000Z'),
  };
  return [buildManifest({ ...common, staticParse: true }), buildManifest({ ...common, staticParse: false })];
}

const comparable = (p: ParsedProject) =>
  JSON.stringify({ ...p.manifest, metadata: { ...p.manifest.metadata, generatedAt: '' } });

describe('static macro expansion', () => {
  it('reads macros that only print their parameters, and nothing else', () => {
    expect(
      parseStaticMacro('{% macro cents(col, scale=2) -%}\nround({{ col }}, {{scale}})\n{%- endmacro %}'),
    ).toEqual({
      params: [{ name: 'col' }, { name: 'scale', fallback: '2' }],
      parts: ['round(', 0, ', ', 1, ')'],
    } satisfies StaticMacro);
    expect(
      parseStaticMacro("{% test t(model, c='x, y') %}\nselect {{ c }} from {{ model }}\n{% endtest %}"),
    ).toEqual({
      params: [{ name: 'model' }, { name: 'c', fallback: 'x, y' }],
      parts: ['\nselect ', 1, ' from ', 0, '\n'],
    });
    for (const text of [
      '{% macro m(a) %}{% if a %}x{% endif %}{% endmacro %}',
      '{% macro m(a) %}{{ a | upper }}{% endmacro %}',
      '{% macro m(a) %}{{ a }}{{ b }}{% endmacro %}',
      '{% macro m(a) %}{{- a }}{% endmacro %}',
      '{% macro m(a) %}{{ a -}}{% endmacro %}',
      '{% macro m(a) %}{# note #}{{ a }}{% endmacro %}',
      '{% macro m(a=1, b) %}{{ a }}{% endmacro %}',
      '{% macro m(a=1.5) %}{{ a }}{% endmacro %}',
      '{% macro m(a=none) %}{{ a }}{% endmacro %}',
      '{% macro m(caller) %}{{ caller }}{% endmacro %}',
      '{% macro m(a, a) %}{{ a }}{% endmacro %}',
      '{% macro m(a) %}{{ a }}{% endtest %}',
      '{% macro m(a) -%}\u00a0{{ a }}{% endmacro %}',
    ])
      expect(parseStaticMacro(text), text).toBeUndefined();
  });

  it('expands calls with literal arguments and leaves doubtful calls to the engine', () => {
    const vars = new VarResolver({}, {}, new Map());
    const scope = () => new ParseScope('macros', vars, {});
    const cents = parseStaticMacro(
      '{% macro cents(col, scale=2) -%}\nround({{ col }}, {{ scale }})\n{%- endmacro %}',
    );
    const macros = (name: string) => (name === 'cents' ? cents : undefined);
    const none = () => false;
    expect(
      renderStatic(
        "a {{ cents('x') }} {{ cents('y', 3) }} {{ cents(scale=0, col=\"z\") }}",
        scope(),
        none,
        macros,
      ),
    ).toBe('a round(x, 2) round(y, 3) round(z, 0)');
    for (const call of [
      '{{ cents() }}',
      "{{ cents('x', 1, 2) }}",
      "{{ cents('x', col='y') }}",
      "{{ cents('x', other=1) }}",
      "{{ cents('x', 1.5) }}",
      "{{ cents(['x']) }}",
      '{{ cents(true) }}',
      "{{ cents('a\\\\b') }}",
      "{{ unknown('x') }}",
      "{{ cents('x') | trim }}",
      "{{ cents(var('x')) }}",
      "{{ config(x=ref('a')) }}",
    ])
      expect(renderStatic(call, scope(), none, macros), call).toBeUndefined();
    // nested refs are evaluated left to right, as the engine does, so relation keys match
    const recorded = scope();
    expect(
      renderStatic(
        "{{ ref('first') }} {{ cents(scale=ref('b'), col=source('s', 't')) }}",
        recorded,
        none,
        macros,
      ),
    ).toBe('⟦0:rel⟧ round(⟦2:rel⟧, ⟦1:rel⟧)');
    expect(recorded.refs).toEqual([
      { args: ['first'], key: 0 },
      { args: ['b'], key: 1 },
    ]);
    expect(recorded.sourceCalls).toEqual([{ args: ['s', 't'], key: 2 }]);
    // a layer macro named ref shadows the context function, nested or not
    expect(renderStatic("{{ cents(ref('b')) }}", scope(), (n) => n === 'ref', macros)).toBeUndefined();
  });

  it('gives the same manifest and compiled SQL as the template engine', async () => {
    const fx = writeFixture(project, { name: 'macros' });
    fixtures.push(fx);
    const [fast, slow] = parseBoth(await readProject(fx.dir));
    expect(comparable(fast)).toBe(comparable(slow));
    const [a, b] = [new SqlCompiler(fast), new SqlCompiler(slow)];
    let compared = 0;
    for (const [id, parsed] of slow.parsed) {
      expect(fast.parsed.get(id)?.code, id).toBe(parsed.code);
      expect(a.compile(id), id).toBe(b.compile(id));
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(12);
    const compiled = (id: string) => a.compile(id);
    expect(compiled('model.macros.m_positional')).toBe(
      'select id, round(amount / 100.0, 2) as a, round(amount / 100.0, 4) as b from "wh"."main"."raw_rows"\n',
    );
    expect(compiled('model.macros.m_kwargs')).toBe(
      `select round(amount / 100.0, 3) as a, 'x_x' as l,  'y_z'  as m from "wh"."main"."raw_rows"\n`,
    );
    expect(compiled('model.macros.m_trim')).toBe("select '[v]' as t, select 42 as answer\n");
    expect(fast.manifest.nodes['model.macros.m_nested_ref']?.dependsOn).toEqual([
      'model.macros.m_positional',
      'model.macros.m_kwargs',
    ]);
    expect(fast.manifest.nodes['model.macros.m_nested_ref']?.config.materialized).toBe('table');
  });

  it('expands the macros the engine would call, and no others', async () => {
    const fx = writeFixture(project, { name: 'macros' });
    fixtures.push(fx);
    const [fast] = parseBoth(await readProject(fx.dir));
    const { engine } = fast;
    expect(engine.staticMacro('macros', 'cents_to_dollars')).toBeDefined();
    expect(engine.staticMacro('macros', 'test_unique')).toBeDefined();
    expect(engine.staticMacro('macros', 'test_relationships')).toBeDefined();
    // a filter or a loop: expanded by the static path for macros with logic (static-test-renderer.ts)
    expect(engine.staticMacro('macros', 'uses_filter')?.expand).toBeDefined();
    expect(engine.staticMacro('macros', 'test_accepted_values')?.expand).toBeDefined();
    for (const name of ['uses_global', 'ref', 'missing'])
      expect(engine.staticMacro('macros', name), name).toBeUndefined();
  });
});
