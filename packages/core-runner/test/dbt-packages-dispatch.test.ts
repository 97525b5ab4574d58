import { afterEach, describe, expect, it } from 'vitest';
import { installPackages } from '../src/index.js';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

// https://docs.getdbt.com/reference/dbt-jinja-functions/dispatch : a package's dispatched macro
// searches the root project first, then the package (or the root's `dispatch:` search_order), for
// `<adapter>__<name>` then `default__<name>`; a shim package can supply an implementation.
const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

/** A package with a dispatched macro, and a shim package with its own implementation of it. */
const packages = {
  'packages.yml': 'packages:\n  - local: vendor/padding\n  - local: vendor/padding_shim\n',
  'vendor/padding/dbt_project.yml': 'name: padding\n',
  'vendor/padding/macros/pad.sql': [
    "{% macro pad(x) %}{{ return(adapter.dispatch('pad', 'padding')(x)) }}{% endmacro %}",
    "{% macro default__pad(x) %}'padding default ' || {{ x }}{% endmacro %}",
    "{% macro duckdb__pad(x) %}'padding duckdb ' || {{ x }}{% endmacro %}",
    '',
  ].join('\n'),
  'vendor/padding/models/padded_in_package.sql': 'select {{ padding.pad("\'p\'") }} as v\n',
  'vendor/padding_shim/dbt_project.yml': 'name: padding_shim\n',
  'vendor/padding_shim/macros/pad.sql': "{% macro duckdb__pad(x) %}'shim ' || {{ x }}{% endmacro %}\n",
  'models/padded.sql': 'select {{ padding.pad("\'r\'") }} as v\n',
};

async function build(files: Record<string, string>): Promise<Fixture> {
  const fx = writeFixture({ ...packages, ...files });
  fixtures.push(fx);
  await installPackages(fx.dir);
  const { results } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
  expect(results.success).toBe(true);
  return fx;
}

const values = async (fx: Fixture) => ({
  root: (await queryWarehouse(fx.warehouse, 'select v from main.padded'))[0]?.v,
  inPackage: (await queryWarehouse(fx.warehouse, 'select v from main.padded_in_package'))[0]?.v,
});

describe("adapter.dispatch into an installed package's macros", () => {
  it("takes the package's <adapter>__ implementation when the root project has none", async () => {
    expect(await values(await build({}))).toEqual({
      root: 'padding duckdb r',
      inPackage: 'padding duckdb p',
    });
  });

  it("lets a root project macro override the package's, for the package's own models too", async () => {
    const fx = await build({
      'macros/pad.sql': "{% macro default__pad(x) %}'root ' || {{ x }}{% endmacro %}\n",
    });
    expect(await values(fx)).toEqual({ root: 'root r', inPackage: 'root p' });
  });

  it('follows the root dispatch: search_order into a shim package', async () => {
    const fx = await build({
      'dbt_project.yml': [
        'name: fixture',
        'profile: fixture',
        'dispatch:',
        '  - macro_namespace: padding',
        "    search_order: ['padding_shim', 'padding']",
        '',
      ].join('\n'),
    });
    expect(await values(fx)).toEqual({ root: 'shim r', inPackage: 'shim p' });
  });
});

describe('a dispatched package test that reads the warehouse only when executing', () => {
  it('is rendered again at run time (its parse render is empty, as dbt packages return early)', async () => {
    const fx = writeFixture({
      'packages.yml': 'packages:\n  - local: vendor/checks\n',
      'vendor/checks/dbt_project.yml': 'name: checks\n',
      'vendor/checks/macros/has_rows.sql': [
        "{% test has_rows(model) %}{{ return(adapter.dispatch('test_has_rows', 'checks')(model)) }}{% endtest %}",
        '{% macro default__test_has_rows(model) %}',
        "{% if not execute %}{{ return('') }}{% endif %}",
        'select 1 as missing from (select count(*) as n from {{ model }}) as counted where n = 0',
        '{% endmacro %}',
        '',
      ].join('\n'),
      'models/empty_one.sql': 'select 1 as id where false\n',
      'models/_models.yml': 'version: 2\nmodels:\n  - name: empty_one\n    data_tests: [checks.has_rows]\n',
    });
    fixtures.push(fx);
    await installPackages(fx.dir);
    const { status } = await loadAndRun(fx.dir, { command: 'build', threads: 1 });
    expect(status).toEqual({ empty_one: 'success', checks_has_rows_empty_one_: 'fail' });
  });
});
