import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildManifest,
  type ParsedProject,
  type ProjectDefinition,
  readProject,
  SqlCompiler,
} from '../src/index.js';
import { ParseScope } from '../src/template/parse-scope.js';
import { renderStatic } from '../src/template/static-renderer.js';
import { VarResolver } from '../src/template/var-resolver.js';
import { type Fixture, writeFixture } from './fixture-project.js';

/**
 * The static fast path (templates whose Jinja is only ref/source/config/var) must give what the
 * template engine gives: the same manifest and the same compiled SQL, byte for byte.
 */
const mixed = {
  'dbt_project.yml': `name: mixed
profile: mixed
vars:
  region: emea
  min_rows: 3
  ratio: 0.5
  enabled_flag: true
models:
  mixed:
    +materialized: view
`,
  'macros/cents.sql': '{% macro cents(column) -%}\n({{ column }} / 100.0)\n{%- endmacro %}\n',
  'macros/shadow.sql': '{% macro source_label() %}label{% endmacro %}\n',
  'seeds/raw_rows.csv': 'id,amount\n1,100\n2,250\n',
  'models/_sources.yml':
    'version: 2\nsources:\n  - name: shop\n    schema: raw\n    tables:\n      - name: orders\n',
  // static: ref, source, config with literal kwargs (lists, dicts, booleans, ints), var, comments
  'models/s_plain.sql': 'select 1 as id\n',
  'models/s_ref.sql': "select * from {{ ref('raw_rows') }}\n",
  'models/s_source.sql': "-- {# a comment #}\nselect * from {{ source('shop', 'orders') }}\n",
  'models/s_config.sql':
    "{{ config(materialized='table', tags=['a', \"b\"], meta={'owner': 'x', 'n': 2}, persist_docs={}, enabled=True, zeta_key='z', alpha_key=12) }}\nselect id from {{ ref('s_ref') }} where '{{ var(\"region\") }}' = 'emea' limit {{ var('min_rows') }}\n",
  'models/s_two_refs.sql':
    "{{ config(alias='two') }}select a.id from {{ ref('s_ref') }} a join {{ ref( 'mixed' , 's_plain' ) }} b using (id)\n",
  'models/s_var_default.sql': "select '{{ var('missing_one', 'dflt') }}' as v, {{ var('n', 7) }} as n\n",
  // template path: statements, filters, macro calls, non-string vars, whitespace control, shadowed names
  'models/t_if.sql': "{% if var('region') == 'emea' %}select 1 as id{% else %}select 2 as id{% endif %}\n",
  'models/t_macro.sql': "select {{ cents('amount') }} as dollars from {{ ref('raw_rows') }}\n",
  'models/t_filter.sql': "select '{{ var('region') | upper }}' as r\n",
  'models/t_float.sql': "select {{ var('ratio') }} as ratio, {{ var('enabled_flag') }} as f\n",
  'models/t_trim.sql': "select 1 as id\n{{- config(materialized='view') }}\n",
  'models/t_this.sql': 'select 1 as id -- {{ this }}\n',
  'models/t_label.sql': "select '{{ source_label() }}' as l from {{ ref('s_config') }}\n",
  'models/t_expr.sql': "select {{ 1 + 2 }} as three, {{ ref('s_ref') }}.id from {{ ref('s_ref') }}\n",
  'models/schema.yml': `version: 2
models:
  - name: s_ref
    description: rows
    config:
      tags: ['yaml']
    columns:
      - name: id
        data_tests: [unique, not_null]
  - name: t_macro
    data_tests:
      - dbt_utils_like_expression: { expression: 'dollars >= 0' }
`,
  'tests/generic/dbt_utils_like_expression.sql':
    '{% test dbt_utils_like_expression(model, expression) %}\nselect * from {{ model }} where not ({{ expression }})\n{% endtest %}\n',
  'tests/singular_static.sql': "select * from {{ ref('s_ref') }} where id < 0\n",
};

const fixtures: Fixture[] = [];
afterAll(() => {
  for (const f of fixtures) f.remove();
});

const runStartedAt = new Date('2026-01-02T03:04:05.000Z');

function parseBoth(definition: ProjectDefinition): [ParsedProject, ParsedProject] {
  const target = definition.targets[definition.defaultTarget];
  if (!target) throw new Error('no target');
  const common = { definition, target, invocationId: 'same', runStartedAt };
  return [buildManifest({ ...common, staticParse: true }), buildManifest({ ...common, staticParse: false })];
}

/** The manifest without the one field that differs per call (its generation time). */
const comparable = (project: ParsedProject) =>
  JSON.stringify({ ...project.manifest, metadata: { ...project.manifest.metadata, generatedAt: '' } });

function expectSameOutput(fast: ParsedProject, slow: ParsedProject): number {
  expect(comparable(fast)).toBe(comparable(slow));
  expect([...fast.parsed.keys()]).toEqual([...slow.parsed.keys()]);
  const [a, b] = [new SqlCompiler(fast), new SqlCompiler(slow)];
  let compared = 0;
  for (const [id, parsed] of slow.parsed) {
    expect(fast.parsed.get(id)?.code, id).toBe(parsed.code);
    expect(fast.parsed.get(id)?.renderAtExecution, id).toBe(parsed.renderAtExecution);
    if (parsed.renderAtExecution) continue;
    expect(a.compile(id), id).toBe(b.compile(id));
    compared++;
  }
  return compared;
}

describe('static fast path', () => {
  it('gives the same manifest and compiled SQL as the template engine on a mixed project', async () => {
    const fx = writeFixture(mixed, { name: 'mixed' });
    fixtures.push(fx);
    const [fast, slow] = parseBoth(await readProject(fx.dir));
    const compared = expectSameOutput(fast, slow);
    expect(compared).toBeGreaterThanOrEqual(15);
    expect(fast.manifest.nodes['model.mixed.s_config']?.config.materialized).toBe('table');
    expect(fast.manifest.nodes['model.mixed.s_config']?.config.meta).toEqual({ owner: 'x', n: 2 });
    expect(fast.manifest.nodes['model.mixed.s_two_refs']?.dependsOn).toEqual([
      'model.mixed.s_ref',
      'model.mixed.s_plain',
    ]);
  });

  it('renders the static models itself and leaves the others to the engine', () => {
    const vars = new VarResolver({}, {}, new Map([['mixed', { region: 'emea', ratio: 0.5, min_rows: 3 }]]));
    const scope = () => new ParseScope('mixed', vars, {});
    for (const name of ['s_plain', 's_ref', 's_source', 's_config', 's_two_refs', 's_var_default'])
      expect(renderStatic(mixed[`models/${name}.sql` as keyof typeof mixed], scope()), name).toBeTypeOf(
        'string',
      );
    for (const name of ['t_if', 't_macro', 't_filter', 't_float', 't_trim', 't_this', 't_expr'])
      expect(renderStatic(mixed[`models/${name}.sql` as keyof typeof mixed], scope()), name).toBeUndefined();
    // a layer macro named like a context function takes the template path
    expect(renderStatic("{{ source('a', 'b') }}", scope(), (name) => name === 'source')).toBeUndefined();
    const recorded = scope();
    expect(renderStatic("a {{ ref('x') }} b {{ source('s', 't') }} c", recorded)).toBe(
      'a ⟦0:rel⟧ b ⟦1:rel⟧ c',
    );
    expect(recorded.refs).toEqual([{ args: ['x'], key: 0 }]);
    expect(recorded.sourceCalls).toEqual([{ args: ['s', 't'], key: 1 }]);
    // an undefined var leaves the error to the engine's render
    expect(renderStatic("{{ var('nope') }}", scope())).toBeUndefined();
  });

  it('gives the same manifest and compiled SQL on the ShopSmart project itself', async () => {
    const root = dirname(dirname(dirname(dirname(fileURLToPath(import.meta.url)))));
    const definition = await readProject(root);
    const [fast, slow] = parseBoth({ ...definition, targetPath: join(root, 'target') });
    expect(expectSameOutput(fast, slow)).toBeGreaterThan(100);
  });
});
