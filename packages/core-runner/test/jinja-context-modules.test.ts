import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

async function build(files: Record<string, string>, options: { fullRefresh?: boolean } = {}) {
  const fx = writeFixture(files);
  fixtures.push(fx);
  const run = await loadAndRun(fx.dir, { command: 'build', threads: 1, ...options });
  const failure = run.results.results.find((r) => r.status !== 'success' && r.status !== 'pass');
  expect(failure?.message ?? 'ok').toBe('ok');
  return { fx, run, rows: await queryWarehouse(fx.warehouse, 'select * from main.probe') };
}

describe('modules.datetime, modules.re, modules.pytz (what packages use of them)', () => {
  it('dates and datetimes print as Python prints them; strftime, replace, strptime, fromisoformat, re.sub', async () => {
    const { rows } = await build({
      'models/probe.sql': [
        '{% set d = modules.datetime.date(1997, 9, 29) %}',
        "{% set dt = modules.datetime.datetime(1997, 9, 29, 6, 14, 0, tzinfo=modules.pytz.timezone('America/New_York')) %}",
        "{% set p = modules.datetime.datetime.strptime('2024-02-03', '%Y-%m-%d') %}",
        "{% set iso = modules.datetime.datetime.fromisoformat('2024-02-03T04:05:06') %}",
        "select cast('{{ d }}' as date) as d, '{{ dt }}' as dt, '{{ d.strftime('%A %d %b %Y') }}' as formatted,",
        "  '{{ p.replace(day=1).strftime('%Y-%m-%d') }}' as month_start, {{ iso.hour }} as iso_hour,",
        "  '{{ modules.re.sub('[^a-z0-9_]+', '', modules.re.sub('[ -]+', '_', 'My Col-Name' | lower)) }}' as slug,",
        "  {{ modules.re.search('b+', 'abbbc') is not none }} as found,",
        "  '{{ modules.datetime.datetime.now().strftime('%Y') | length }}' as year_len",
      ].join('\n'),
    });
    expect(rows).toEqual([
      {
        d: '1997-09-29',
        dt: '1997-09-29 06:14:00-04:00',
        formatted: 'Monday 29 Sep 1997',
        month_start: '2024-02-01',
        iso_hour: 4,
        slug: 'my_col_name',
        found: true,
        year_len: '4',
      },
    ]);
  });
});

describe('api.Relation.create, api.Column, this.incorporate, adapter.*', () => {
  it('builds relations, columns and runs adapter statements on real DuckDB', async () => {
    const { rows, fx } = await build({
      'models/a.sql': "{{ config(materialized='table') }}select 1 as id",
      'models/probe.sql': [
        "-- depends_on: {{ ref('a') }}",
        "{% set r = api.Relation.create(schema='main', identifier='a') %}",
        "{% set c = api.Column('amount', 'integer') %}",
        "{% set other = this.incorporate(path={'identifier': 'probe_other'}) %}",
        '{% if execute %}',
        "  {% do adapter.create_schema(api.Relation.create(schema='extra')) %}",
        "  {% do run_query('create or replace table main.scratch as select 1 as x') %}",
        "  {% do adapter.rename_relation(api.Relation.create(schema='main', identifier='scratch'), api.Relation.create(schema='main', identifier='scratch2')) %}",
        '{% endif %}',
        "select (select count(*) from {{ r }}) as n, '{{ c.name }}:{{ c.dtype }}' as col,",
        "  '{{ other.identifier }}' as other_name, '{{ adapter.type() }}' as adapter_type,",
        "  '{{ r.render() }}' as rendered, '{{ adapter.quote('x') }}' as quoted,",
        "  '{% if execute %}{% for col in adapter.get_columns_in_relation(r) %}{{ col.quoted }}:{{ col.is_number() }}:{{ col.is_string() }}{% endfor %}{% endif %}' as cols",
      ].join('\n'),
    });
    expect(rows).toEqual([
      {
        n: 1,
        col: 'amount:integer',
        other_name: 'probe_other',
        adapter_type: 'duckdb',
        rendered: '"main"."a"',
        quoted: '"x"',
        cols: '"id":True:False',
      },
    ]);
    const schemas = await queryWarehouse(
      fx.warehouse,
      "select schema_name from information_schema.schemata where schema_name = 'extra'",
    );
    expect(schemas).toEqual([{ schema_name: 'extra' }]);
    expect(await queryWarehouse(fx.warehouse, 'select x from main.scratch2')).toEqual([{ x: 1 }]);
  });
});

describe('flags, graph, tojson/fromjson/toyaml/fromyaml, print, exceptions', () => {
  it('answers flags of the run, the graph of nodes and sources, JSON and YAML round trips', async () => {
    const { rows, run } = await build(
      {
        'models/sources.yml':
          'version: 2\nsources:\n  - name: raw\n    schema: main\n    tables:\n      - name: a\n',
        'models/a.sql': "{{ config(materialized='table') }}select 1 as id",
        'models/probe.sql': [
          "-- depends_on: {{ ref('a') }}",
          '{% set models = [] %}',
          '{% if execute %}',
          "{% for node in graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') %}{% do models.append(node.name) %}{% endfor %}",
          '{% endif %}',
          "{% set j = fromjson('{\"a\": [1, 2]}') %}{% set y = fromyaml('k: v') %}",
          "{% do print('hello from print') %}",
          "{% do exceptions.warn('careful') %}",
          "select '{{ flags.WHICH }}' as which, {{ flags.FULL_REFRESH }} as full_refresh,",
          "  '{{ models | sort | join(',') }}' as models, {{ graph.sources | length }} as n_sources,",
          "  {{ j.a[1] }} as json_value, '{{ y.k }}' as yaml_value, '{{ tojson({'b': 1}) }}' as json_text,",
          "  '{{ toyaml({'c': 2}) | trim }}' as yaml_text",
        ].join('\n'),
      },
      { fullRefresh: true },
    );
    expect(rows).toEqual([
      {
        which: 'build',
        full_refresh: true,
        models: 'a,probe',
        n_sources: 1,
        json_value: 2,
        yaml_value: 'v',
        json_text: '{"b":1}',
        yaml_text: 'c: 2',
      },
    ]);
    const messages = run.events.flatMap((e) => ('message' in e ? [String(e.message)] : []));
    expect(messages.some((m) => m.includes('hello from print'))).toBe(true);
  });

  it('exceptions.raise_compiler_error fails the node with the message', async () => {
    const fx = writeFixture({
      'models/probe.sql': "{{ exceptions.raise_compiler_error('bad input: ' ~ 42) }}select 1 as x",
    });
    fixtures.push(fx);
    const { results } = await loadAndRun(fx.dir, { command: 'run', threads: 1 }).catch((error: Error) => ({
      results: { results: [{ status: 'error', message: error.message }] },
    }));
    expect(JSON.stringify(results.results)).toContain('bad input: 42');
  });
});
