import { afterAll, describe, expect, it } from 'vitest';
import { type ParsedProject, SqlCompiler } from '../src/index.js';
import { createMacroDispatcher } from '../src/template/dispatch.js';
import {
  caught,
  type Fixture,
  loadAndRun,
  loadFixture,
  queryWarehouse,
  writeFixture,
} from './fixture-project.js';

/**
 * `adapter.dispatch` as dbt documents it (https://docs.getdbt.com/reference/dbt-jinja-functions/dispatch):
 * `<adapter>__name` before `default__name`, the root project before the namespace, the
 * `dispatch:` search_order of dbt_project.yml, and dbt's error when nothing is found.
 */
const fixtures: Fixture[] = [];
afterAll(() => {
  for (const fx of fixtures) fx.remove();
});
const fixture = (files: Record<string, string>, options = {}) => {
  const fx = writeFixture(files, options);
  fixtures.push(fx);
  return fx;
};
const compiled = (project: ParsedProject, model: string) =>
  new SqlCompiler(project).compile(`model.${project.definition.name}.${model}`).trim();

const greetMacros = `{% macro greet(who) %}{{ return(adapter.dispatch('greet', 'fixture')(who)) }}{% endmacro %}
{% macro default__greet(who) %}hello {{ who }}{% endmacro %}
`;

describe('adapter.dispatch', () => {
  it('prefers <adapter>__name, falls back to default__name', async () => {
    const fx = fixture({
      'macros/greet.sql': `${greetMacros}{% macro postgres__greet(who) %}pg {{ who }}{% endmacro %}`,
      'macros/shout.sql': `{% macro shout(who) %}{{ return(adapter.dispatch('shout', 'fixture')(who)) }}{% endmacro %}
{% macro default__shout(who) %}default {{ who }}{% endmacro %}
{% macro duckdb__shout(who) %}duck {{ who }}{% endmacro %}`,
      'models/a.sql': "select '{{ greet('you') }}' as g, '{{ shout('you') }}' as s",
    });
    const project = await loadFixture(fx.dir);
    expect(compiled(project, 'a')).toBe("select 'hello you' as g, 'duck you' as s");
  });

  it('finds dbt macros without a namespace (unqualified lookup) and a dispatched macro kept in a variable', async () => {
    const fx = fixture({
      'macros/m.sql': `{% macro duckdb__only_here() %}local{% endmacro %}`,
      'models/a.sql': `{% set f = adapter.dispatch('only_here') %}{% set h = adapter.dispatch('hash', macro_namespace='dbt') %}select '{{ f() }}' as x, {{ h("'a'") }} as y`,
    });
    const project = await loadFixture(fx.dir);
    expect(compiled(project, 'a')).toBe("select 'local' as x, md5(cast('a' as text)) as y");
  });

  it('lets a root project macro override a dbt macro, for dbt.x, x and the macros that call it', async () => {
    const fx = fixture({
      'macros/overrides.sql': `{% macro duckdb__dateadd(datepart, interval, from_date_or_timestamp) %}my_dateadd('{{ datepart }}', {{ interval }}, {{ from_date_or_timestamp }}){% endmacro %}`,
      'models/a.sql':
        "select {{ dbt.dateadd('day', 1, 'd') }} as q, {{ dateadd('month', 2, 'd') }} as u, {{ dbt.last_day('d', 'month') }} as l",
    });
    const project = await loadFixture(fx.dir);
    expect(compiled(project, 'a')).toBe(
      "select my_dateadd('day', 1, d) as q, my_dateadd('month', 2, d) as u, cast(my_dateadd('day', -1, my_dateadd('month', 1, date_trunc('month', d))) as date) as l",
    );
  });

  it("honours the root project's dispatch: search_order", async () => {
    const files = {
      'macros/overrides.sql': `{% macro duckdb__hash(field) %}my_hash({{ field }}){% endmacro %}`,
      'models/a.sql': "select {{ dbt.hash('x') }} as h",
    };
    const onlyDbt = fixture({
      ...files,
      'dbt_project.yml':
        'name: fixture\nprofile: fixture\ndispatch:\n  - macro_namespace: dbt\n    search_order: [dbt]\n',
    });
    expect(compiled(await loadFixture(onlyDbt.dir), 'a')).toBe('select md5(cast(x as text)) as h');
    const rootFirst = fixture({
      ...files,
      'dbt_project.yml':
        'name: fixture\nprofile: fixture\ndispatch:\n  - macro_namespace: dbt\n    search_order: [fixture, dbt]\n',
    });
    expect(compiled(await loadFixture(rootFirst.dir), 'a')).toBe('select my_hash(x) as h');
  });

  it('searches a layer or package namespace, with the root project first', async () => {
    const fx = fixture(
      {
        'shopsmart.yml': `name: shop
layers:
  - name: helpers
    path: layers/helpers
    package_aliases: [dbt_utils]
  - name: shop
    path: layers/shop
    depends_on: [helpers]
target: dev
targets:
  dev:
    type: duckdb
    path: wh.duckdb
`,
        'layers/helpers/macros/pick.sql': `{% macro pick() %}{{ return(adapter.dispatch('pick', 'helpers')()) }}{% endmacro %}
{% macro default__pick() %}'helpers default'{% endmacro %}
{% macro duckdb__pick() %}'helpers duckdb'{% endmacro %}
{% macro width() %}{{ return(adapter.dispatch('width', 'dbt_utils')()) }}{% endmacro %}
{% macro default__width() %}7{% endmacro %}`,
        'layers/shop/models/a.sql': 'select {{ pick() }} as p, {{ dbt_utils.width() }} as w',
      },
      { bare: true },
    );
    const run = await loadAndRun(fx.dir, { command: 'build' });
    expect(run.status).toEqual({ a: 'success' });
    expect(await queryWarehouse(`${fx.dir}/wh.duckdb`, 'select p, w from a')).toEqual([
      { p: 'helpers duckdb', w: 7 },
    ]);
  });

  it("lets a layer call its own macros through its namespace, even one a parameter's name shadows", async () => {
    const fx = fixture(
      {
        'shopsmart.yml': `name: shop
layers:
  - name: helpers
    path: layers/helpers
  - name: shop
    path: layers/shop
    depends_on: [helpers]
target: dev
targets:
  dev:
    type: duckdb
    path: wh.duckdb
`,
        'layers/helpers/macros/group.sql': `{% macro group_by(n) %}group by {{ range(1, n + 1) | join(', ') }}{% endmacro %}
{% macro grouped(columns, group_by=[]) %}select {{ columns | join(', ') }}, count(*) as n from t {{ helpers.group_by(group_by | length) }}{% endmacro %}`,
        'layers/shop/models/a.sql': "{{ helpers.grouped(['x', 'y'], group_by=['x', 'y']) }}",
      },
      { bare: true },
    );
    expect(compiled(await loadFixture(fx.dir), 'a')).toBe('select x, y, count(*) as n from t group by 1, 2');
  });

  it('hands values returned through a namespace or a dispatch back to the caller', async () => {
    const fx = fixture({
      'macros/values.sql': `{% macro columns_of() %}{{ return(['a', 'b']) }}{% endmacro %}
{% macro listed() %}{% set cols = fixture.columns_of() %}{% set n = dbt.get_powers_of_two(5) %}{{ cols | length }}-{{ n + 1 }}{% endmacro %}`,
      'models/a.sql': "select '{{ listed() }}' as x",
    });
    expect(compiled(await loadFixture(fx.dir), 'a')).toBe("select '2-4' as x");
  });

  it("fails with dbt's message when no implementation exists, and the engine keeps working", async () => {
    const fx = fixture({
      'macros/nowhere.sql': `{% macro nowhere() %}{{ return(adapter.dispatch('nowhere', 'fixture')()) }}{% endmacro %}`,
      'models/a.sql': 'select {{ nowhere() }} as x',
      'models/b.sql': "select {{ dbt.dateadd('day', 1, 'd') }} as y",
    });
    const error = await caught(() => loadFixture(fx.dir));
    expect(error.message).toContain(
      "In dispatch: No macro named 'nowhere' found within namespace: 'fixture'\n    Searched for: 'fixture.duckdb__nowhere', 'fixture.default__nowhere'",
    );
    expect(error.file).toBe('models/a.sql');
    fx.write({ 'models/a.sql': 'select 1 as x' });
    expect(compiled(await loadFixture(fx.dir), 'b')).toBe("select d + ((interval '1 day') * (1)) as y");
  });

  it('rejects a dotted macro name, an unknown dbt macro and non-literal arguments', async () => {
    const dotted = fixture({ 'models/a.sql': "select {{ adapter.dispatch('dbt.hash')('x') }}" });
    expect((await caught(() => loadFixture(dotted.dir))).message).toContain(
      'Did you mean `adapter.dispatch("hash", macro_namespace="dbt")`?',
    );
    const unknown = fixture({ 'models/a.sql': "select {{ dbt.no_such_macro('x') }}" });
    expect((await caught(() => loadFixture(unknown.dir))).message).toContain(
      "'dbt' has no macro 'no_such_macro'",
    );
    const dynamic = fixture({
      'models/a.sql': "{% set n = 'hash' %}select {{ adapter.dispatch(n, 'dbt')('x') }}",
    });
    expect((await caught(() => loadFixture(dynamic.dir))).message).toContain(
      'adapter.dispatch needs the macro name and namespace as string literals',
    );
  });

  it("finds implementations whose tag holds a '%' (a strftime default)", async () => {
    const fx = fixture({
      'macros/stamp.sql': `{% macro stamp(format='%H:%M') %}{{ return(adapter.dispatch('stamp', 'fixture')(format)) }}{% endmacro %}
{% macro default__stamp(format='%H:%M') %}'{{ format }}'{% endmacro %}`,
      'models/a.sql': 'select {{ stamp() }} as s',
    });
    expect(compiled(await loadFixture(fx.dir), 'a')).toBe("select '%H:%M' as s");
  });

  it('answers dbt.<context function> as the function itself', async () => {
    const fx = fixture({
      'models/a.sql': "select {{ dbt.is_incremental() }} as inc, '{{ dbt.var('v', 'dflt') }}' as v",
    });
    expect(compiled(await loadFixture(fx.dir), 'a')).toBe("select False as inc, 'dflt' as v");
  });

  it('leaves SQL functions, filters and methods of the same names alone', async () => {
    const fx = fixture({
      'models/a.sql':
        "select length(name), replace(name, 'a', 'b'), concat(a, b) from t -- {{ 'x-y' | replace('-', '+') }} {{ 'abc'.replace('a', 'z') }}",
    });
    expect(compiled(await loadFixture(fx.dir), 'a')).toBe(
      "select length(name), replace(name, 'a', 'b'), concat(a, b) from t -- x+y zbc",
    );
  });
});

describe('createMacroDispatcher', () => {
  const namespaces = new Map([
    ['dbt', { module: 'dbt', macros: new Set(['default__dateadd', 'postgres__dateadd']) }],
    ['shop', { module: 'shop', macros: new Set(['default__dateadd']) }],
    ['pkg', { module: 'pkg', macros: new Set(['default__thing']) }],
  ]);

  it('searches the root project then the namespace, adapter prefix before default within each', () => {
    const dispatcher = createMacroDispatcher({ adapterType: 'postgres', rootProject: 'shop' }, namespaces);
    expect(dispatcher.searchPackages('dbt')).toEqual(['shop', 'dbt']);
    expect(dispatcher.resolve('dateadd', 'dbt', () => undefined)).toMatchObject({
      found: true,
      namespace: 'shop',
      macro: 'default__dateadd',
    });
    expect(dispatcher.resolve('thing', 'pkg', () => undefined)).toMatchObject({
      namespace: 'pkg',
      macro: 'default__thing',
    });
  });

  it('uses the configured search order instead', () => {
    const dispatcher = createMacroDispatcher(
      {
        adapterType: 'postgres',
        rootProject: 'shop',
        searchOrders: [{ macro_namespace: 'dbt', search_order: ['dbt', 'shop'] }],
      },
      namespaces,
    );
    expect(dispatcher.resolve('dateadd', 'dbt', () => undefined)).toMatchObject({
      namespace: 'dbt',
      macro: 'postgres__dateadd',
    });
  });
});
