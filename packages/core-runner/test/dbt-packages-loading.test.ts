import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildManifest, installPackages, readProject } from '../src/index.js';
import {
  caught,
  type Fixture,
  loadAndRun,
  loadFixture,
  queryWarehouse,
  writeFiles,
  writeFixture,
} from './fixture-project.js';

// https://docs.getdbt.com/docs/build/packages : "dbt packages are in fact standalone dbt projects":
// their macros (called as <package>.<macro>), generic tests, models and dbt_project.yml load with
// the root project; https://docs.getdbt.com/reference/dbt-jinja-functions/ref : ref('package', 'model');
// https://docs.getdbt.com/docs/build/project-variables : root vars override package vars.
const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

/** A package written for these tests: macros, a generic test, a model, vars and a config tree. */
const helpersPackage = {
  'vendor/helpers/dbt_project.yml': [
    'name: helpers',
    "version: '1.4.0'",
    'vars:',
    "  greeting: 'hello from the package'",
    "  farewell: 'bye from the package'",
    'models:',
    '  helpers:',
    '    +materialized: table',
    '',
  ].join('\n'),
  'vendor/helpers/macros/text.sql': [
    '{% macro shout(x) %}upper({{ x }}){% endmacro %}',
    // A package calling its own macros through its namespace, as packages do.
    '{% macro shout_twice(x) %}{{ helpers.shout(helpers.shout(x)) }}{% endmacro %}',
    '{% macro greet() %}\'{{ var("greeting") }}\'{% endmacro %}',
    '{% macro farewell() %}\'{{ var("farewell") }}\'{% endmacro %}',
    // A `%` in a default value does not end the tag.
    "{% macro stamp(format='%H:%M') %}{{ return(adapter.dispatch('stamp', 'helpers')(format)) }}{% endmacro %}",
    "{% macro default__stamp(format='%H:%M') %}'{{ format }}'{% endmacro %}",
    // A string continued with a backslash at the end of the line, as Python's Jinja allows.
    "{% macro long_text() %}{% set text = 'one \\",
    "two' %}'{{ text }}'{% endmacro %}",
    '',
  ].join('\n'),
  'vendor/helpers/macros/is_even.sql':
    '{% test is_even(model, column_name) %}\nselect * from {{ model }} where {{ column_name }} % 2 <> 0\n{% endtest %}\n',
  'vendor/helpers/models/helper_numbers.sql': 'select 2 as n union all select 4 as n\n',
};

async function withPackages(files: Record<string, string>): Promise<Fixture> {
  const fx = writeFixture({
    'packages.yml': 'packages:\n  - local: vendor/helpers\n',
    ...helpersPackage,
    ...files,
  });
  fixtures.push(fx);
  await installPackages(fx.dir);
  return fx;
}

describe('an installed package is a project', () => {
  it('gives its macros under its namespace, its models to ref, its generic tests to the root YAML', async () => {
    const fx = await withPackages({
      'models/uses.sql': [
        'select {{ helpers.shout("\'a\'") }} as loud, {{ helpers.long_text() }} as text, n,',
        '  {{ helpers.shout_twice("\'b\'") }} as twice, {{ helpers.stamp() }} as stamp',
        "from {{ ref('helpers', 'helper_numbers') }}",
        '',
      ].join('\n'),
      'models/_models.yml':
        'version: 2\nmodels:\n  - name: uses\n    columns:\n      - name: n\n        data_tests: [helpers.is_even]\n',
    });
    const { results, status, project } = await loadAndRun(fx.dir, { command: 'build', threads: 1 });
    expect(results.success).toBe(true);
    expect(status).toMatchObject({
      helper_numbers: 'success',
      uses: 'success',
      helpers_is_even_uses_n: 'pass',
    });
    expect(project.manifest.nodes['model.helpers.helper_numbers']?.packageName).toBe('helpers');
    expect(
      await queryWarehouse(fx.warehouse, 'select loud, text, n, twice, stamp from main.uses order by n'),
    ).toEqual([
      { loud: 'A', text: 'one two', n: 2, twice: 'B', stamp: '%H:%M' },
      { loud: 'A', text: 'one two', n: 4, twice: 'B', stamp: '%H:%M' },
    ]);
    // The package's own dbt_project.yml config applies to its models.
    expect(
      await queryWarehouse(
        fx.warehouse,
        "select table_type from information_schema.tables where table_name = 'helper_numbers'",
      ),
    ).toEqual([{ table_type: 'BASE TABLE' }]);
  });

  it('fails a package generic test on rows that break it', async () => {
    const fx = await withPackages({
      'models/odd.sql': 'select 3 as n\n',
      'models/_models.yml':
        'version: 2\nmodels:\n  - name: odd\n    columns:\n      - name: n\n        data_tests: [helpers.is_even]\n',
    });
    const { status } = await loadAndRun(fx.dir, { command: 'build', threads: 1 });
    expect(status.helpers_is_even_odd_n).toBe('fail');
  });

  it("scopes vars: the root project's vars, global or under the package name, override the package's own", async () => {
    const fx = await withPackages({
      'vendor/helpers/models/helper_vars.sql':
        'select \'{{ var("greeting") }}\' as greeting, \'{{ var("farewell") }}\' as farewell\n',
      'dbt_project.yml': [
        'name: fixture',
        'profile: fixture',
        'vars:',
        "  farewell: 'bye from the root'",
        '  helpers:',
        "    greeting: 'hello, scoped to helpers'",
        '  other_package:',
        "    farewell: 'not for helpers'",
        '',
      ].join('\n'),
    });
    await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(await queryWarehouse(fx.warehouse, 'select * from main.helper_vars')).toEqual([
      { greeting: 'hello, scoped to helpers', farewell: 'bye from the root' },
    ]);
  });

  it("gives a package's models its own vars when the root project does not set them", async () => {
    const fx = await withPackages({
      'vendor/helpers/models/helper_vars.sql': 'select \'{{ var("greeting") }}\' as greeting\n',
    });
    await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(await queryWarehouse(fx.warehouse, 'select * from main.helper_vars')).toEqual([
      { greeting: 'hello from the package' },
    ]);
  });

  it("applies the root project's config tree to the package's models (root wins)", async () => {
    const fx = await withPackages({
      'dbt_project.yml': 'name: fixture\nprofile: fixture\nmodels:\n  helpers:\n    +materialized: view\n',
    });
    await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(
      await queryWarehouse(
        fx.warehouse,
        "select table_type from information_schema.tables where table_name = 'helper_numbers'",
      ),
    ).toEqual([{ table_type: 'VIEW' }]);
  });

  it('lets a root macro of the same name win over the package macro in the root project', async () => {
    const fx = await withPackages({
      'macros/shout.sql': "{% macro shout(x) %}'root shout'{% endmacro %}\n",
      'models/m.sql': 'select {{ shout("\'a\'") }} as own, {{ helpers.shout("\'a\'") }} as qualified\n',
    });
    await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(await queryWarehouse(fx.warehouse, 'select * from main.m')).toEqual([
      { own: 'root shout', qualified: 'A' },
    ]);
  });

  it('says which package namespace has no such macro', async () => {
    const fx = await withPackages({ 'models/m.sql': 'select {{ helpers.whisper(1) }} as x\n' });
    const error = await caught(() => loadFixture(fx.dir));
    expect(error.file).toBe('models/m.sql');
    expect(error.hint).toContain("layer 'helpers' has no macro 'whisper'");
  });

  it('notices an edited package macro in the parse cache', async () => {
    const fx = await withPackages({ 'models/m.sql': 'select {{ helpers.shout("\'a\'") }} as x\n' });
    const parse = async () => {
      const definition = await readProject(fx.dir);
      const target = definition.targets.dev;
      if (!target) throw new Error('no target');
      return buildManifest({ definition, target, partialParse: true });
    };
    expect((await parse()).parseCache?.status).toBe('full');
    expect((await parse()).parseCache?.status).toBe('hit');
    const file = join(fx.dir, 'vendor/helpers/macros/text.sql');
    writeFiles(fx.dir, {
      'vendor/helpers/macros/text.sql':
        "{% macro shout(x) %}lower({{ x }}){% endmacro %}\n{% macro greet() %}''{% endmacro %}\n",
    });
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const after = await parse();
    expect(after.parseCache?.status).not.toBe('hit');
    expect(after.parsed.get('model.fixture.m')?.code).toContain("lower('a')");
  });

  it('notices a package added by deps in the parse cache', async () => {
    const fx = await withPackages({ 'models/m.sql': 'select 1 as x\n' });
    const parse = async () => {
      const definition = await readProject(fx.dir);
      const target = definition.targets.dev;
      if (!target) throw new Error('no target');
      return buildManifest({ definition, target, partialParse: true });
    };
    await parse();
    expect((await parse()).parseCache?.status).toBe('hit');
    writeFiles(fx.dir, {
      'packages.yml': 'packages:\n  - local: vendor/helpers\n  - local: vendor/extra\n',
      'vendor/extra/dbt_project.yml': 'name: extra\n',
      'vendor/extra/models/extra_model.sql': 'select 7 as seven\n',
    });
    await installPackages(fx.dir);
    const after = await parse();
    expect(after.parseCache?.status).not.toBe('hit');
    expect(after.manifest.nodes['model.extra.extra_model']).toBeDefined();
  });
});

// https://docs.getdbt.com/docs/collaborate/govern/model-versions
describe('model versions', () => {
  const versioned = {
    'models/dim_v1.sql': 'select 1 as id, 1 as version_seen\n',
    'models/dim_v2.sql': "select 1 as id, 2 as version_seen, 'new' as label\n",
    'models/reader.sql': [
      "select (select version_seen from {{ ref('dim') }}) as latest,",
      "  (select version_seen from {{ ref('dim', v=1) }}) as first,",
      "  (select version_seen from {{ ref('dim', version=2) }}) as second",
      '',
    ].join('\n'),
    'models/_models.yml': [
      'version: 2',
      'models:',
      '  - name: dim',
      '    latest_version: 2',
      '    columns:',
      '      - name: id',
      '        data_tests: [not_null]',
      '      - name: label',
      '    versions:',
      '      - v: 1',
      '        columns:',
      '          - include: all',
      '            exclude: [label]',
      '      - v: 2',
      '  - name: reader',
      '',
    ].join('\n'),
  };

  it('builds each version as its own node and relation; ref() takes the latest or the asked version', async () => {
    const fx = writeFixture(versioned);
    fixtures.push(fx);
    const { results, project } = await loadAndRun(fx.dir, { command: 'build', threads: 1 });
    expect(results.success).toBe(true);
    const v1 = project.manifest.nodes['model.fixture.dim.v1'];
    expect(v1).toMatchObject({
      name: 'dim',
      version: 1,
      latestVersion: 2,
      relation: { identifier: 'dim_v1' },
    });
    expect(Object.keys(v1?.columns ?? {})).toEqual(['id']);
    expect(Object.keys(project.manifest.nodes['model.fixture.dim.v2']?.columns ?? {})).toEqual([
      'id',
      'label',
    ]);
    expect(
      Object.values(project.manifest.nodes)
        .filter((n) => n.resourceType === 'test')
        .map((n) => n.name)
        .sort(),
    ).toEqual(['not_null_dim_v1_id', 'not_null_dim_v2_id']);
    expect(await queryWarehouse(fx.warehouse, 'select * from main.reader')).toEqual([
      { latest: 2, first: 1, second: 2 },
    ]);
  });

  it('reports a ref to a version that does not exist', async () => {
    const fx = writeFixture({ ...versioned, 'models/reader.sql': "select * from {{ ref('dim', v=3) }}\n" });
    fixtures.push(fx);
    const error = await caught(() => loadFixture(fx.dir));
    expect(error.message).toContain("refers to version 3 of 'dim', which has versions 1, 2");
  });
});

// dbt: "Did not find matching node for patch with name 'x'" is a warning; the project builds.
describe('YAML properties of a model that has no file', () => {
  it('is a warning, and the rest of the project builds', async () => {
    const fx = writeFixture({
      'models/real.sql': 'select 1 as id\n',
      'models/_models.yml': 'version: 2\nmodels:\n  - name: real\n  - name: ghost\n    description: gone\n',
    });
    fixtures.push(fx);
    const definition = await readProject(fx.dir);
    const warnings: string[] = [];
    const target = definition.targets.dev;
    if (!target) throw new Error('no target');
    const project = buildManifest({ definition, target, onWarning: (w) => warnings.push(w) });
    expect(Object.keys(project.manifest.nodes)).toEqual(['model.fixture.real']);
    expect(warnings).toEqual([
      "[SSA-YAML-404] models/_models.yml:4: models entry 'ghost' documents a model that does not exist (rename it to the file's name, or remove the entry)",
    ]);
  });
});

// https://docs.getdbt.com/reference/resource-properties/data-tests : test arguments are rendered
// with Jinja, so a package test can take `{{ helpers.x() }}` or `{{ var(...) }}` inside a value.
describe('Jinja inside the arguments of a package test', () => {
  it('is rendered before the test runs, alone (keeping its value) or inside text', async () => {
    const fx = await withPackages({
      'vendor/helpers/macros/rows_where.sql':
        '{% test rows_where(model, condition, expected) %}\nselect 1 from (select count(*) as n from {{ model }} where {{ condition }}) as counted where n <> {{ expected }}\n{% endtest %}\n',
      'vendor/helpers/macros/two.sql': '{% macro two() %}2{% endmacro %}\n',
      'models/numbers.sql': 'select 1 as n union all select 2 as n union all select 3 as n\n',
      'models/_models.yml': [
        'version: 2',
        'models:',
        '  - name: numbers',
        '    data_tests:',
        '      - helpers.rows_where:',
        '          arguments:',
        '            condition: "n >= {{ helpers.two() }}"',
        '            expected: "{{ 1 + 1 }}"',
        '',
      ].join('\n'),
    });
    const { status, project } = await loadAndRun(fx.dir, { command: 'build', threads: 1 });
    const test = Object.values(project.manifest.nodes).find((n) => n.resourceType === 'test');
    expect(test?.name).toBeDefined();
    expect(status[test?.name ?? '']).toBe('pass');
  });
});
