import { afterEach, describe, expect, it } from 'vitest';
import {
  caught,
  type Fixture,
  loadAndRun,
  queryWarehouse,
  writeFixture,
} from '../../test/fixture-project.js';
import { parseWarnErrorOptions } from './warn-error-policy.js';

let fx: Fixture | undefined;
afterEach(() => {
  fx?.remove();
  fx = undefined;
});

// A fails; b and c are independent of it; d is below a.
const FAILING = {
  'models/a.sql': 'select id from no_such_table\n',
  'models/b.sql': 'select 2 as id\n',
  'models/c.sql': 'select 3 as id\n',
  'models/d.sql': "select * from {{ ref('a') }}\n",
};

describe('--fail-fast (https://docs.getdbt.com/reference/global-configs/failing-fast)', () => {
  it('stops at the first failure: what has not started is skipped, naming the cause', async () => {
    fx = writeFixture(FAILING, { threads: 1 });
    const { results, status } = await loadAndRun(fx.dir, { command: 'run', failFast: true });
    expect(status.a).toBe('error');
    expect(results.success).toBe(false);
    // One thread, graph order a, b, c, d: after a fails nothing else starts.
    expect(status).toEqual({ a: 'error', b: 'skipped', c: 'skipped', d: 'skipped' });
    const skipped = results.results.find((r) => r.uniqueId === 'model.fixture.b');
    expect(skipped?.message).toBe("skipped: --fail-fast stopped the run after 'a' failed");
    expect(results.args.fail_fast).toBe(true);
  });

  it('without it, independent nodes still run', async () => {
    fx = writeFixture(FAILING, { threads: 1 });
    const { status } = await loadAndRun(fx.dir, { command: 'run' });
    expect(status).toEqual({ a: 'error', b: 'success', c: 'success', d: 'skipped' });
  });

  it('a failing test stops a build too; nodes in flight finish', async () => {
    fx = writeFixture(
      {
        'models/a.sql': 'select null as id\n',
        'models/b.sql': 'select 2 as id\n',
        'models/_models.yml':
          'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
      },
      { threads: 2 },
    );
    const { status, results } = await loadAndRun(fx.dir, { command: 'build', failFast: true });
    expect(status.not_null_a_id).toBe('fail');
    // every selected node has exactly one result
    expect(results.results.length).toBe(3);
    expect(Object.values(status).every((s) => ['success', 'fail', 'skipped'].includes(s))).toBe(true);
  });
});

describe('--empty (https://docs.getdbt.com/docs/build/empty-flag)', () => {
  it('builds every model with its columns and zero rows; refs and sources read nothing', async () => {
    fx = writeFixture({
      'seeds/people.csv': 'id,name\n1,ann\n2,bob\n',
      'models/stg_people.sql': "select id, upper(name) as name from {{ ref('people') }}\n",
      'models/people_count.sql':
        "select count(*) as n, max(p.name) as last_name from {{ ref('stg_people') }} as p\n",
      'models/_models.yml':
        'version: 2\nmodels:\n  - name: stg_people\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n',
    });
    const { status, project } = await loadAndRun(fx.dir, { command: 'build', empty: true });
    expect(Object.values(status).every((s) => s === 'success' || s === 'pass')).toBe(true);
    // Seeds still load (dbt before 1.12); models read them with zero rows.
    expect(await queryWarehouse(fx.warehouse, 'select count(*) as n from main.people')).toEqual([{ n: 2 }]);
    expect(await queryWarehouse(fx.warehouse, 'select count(*) as n from main.stg_people')).toEqual([
      { n: 0 },
    ]);
    const columns = await queryWarehouse(
      fx.warehouse,
      "select column_name, data_type from information_schema.columns where table_name = 'stg_people' order by ordinal_position",
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'INTEGER' },
      { column_name: 'name', data_type: 'VARCHAR' },
    ]);
    // An aggregate over nothing still gives its one row.
    expect(await queryWarehouse(fx.warehouse, 'select n from main.people_count')).toEqual([{ n: 0 }]);
    expect(project.manifest.nodes['model.fixture.stg_people']).toBeDefined();
  });

  it('a model that would not build fails under --empty too (schemas are checked)', async () => {
    fx = writeFixture({
      'models/a.sql': 'select 1 as id\n',
      'models/b.sql': "select missing_column from {{ ref('a') }}\n",
    });
    const { status, results } = await loadAndRun(fx.dir, { command: 'run', empty: true });
    expect(status).toEqual({ a: 'success', b: 'error' });
    expect(results.results.find((r) => r.uniqueId === 'model.fixture.b')?.message).toMatch(/missing_column/);
  });
});

describe('--warn-error and --warn-error-options (https://docs.getdbt.com/reference/global-configs/warnings)', () => {
  const WARN_TEST = {
    'models/a.sql': 'select null as id\n',
    'models/_models.yml':
      'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - not_null:\n              config: {severity: warn}\n',
  };

  it('a test at warn severity fails under --warn-error', async () => {
    fx = writeFixture(WARN_TEST);
    const plain = await loadAndRun(fx.dir, { command: 'build' });
    expect(plain.status.not_null_a_id).toBe('warn');
    expect(plain.results.success).toBe(true);
    const strict = await loadAndRun(fx.dir, { command: 'build', warnError: true });
    expect(strict.status.not_null_a_id).toBe('fail');
    expect(strict.results.success).toBe(false);
    expect(strict.results.results.find((r) => r.status === 'fail')?.message).toMatch(/--warn-error/);
  });

  it('a selector matching nothing stops the run under --warn-error', async () => {
    fx = writeFixture(WARN_TEST);
    const error = await caught(() =>
      loadAndRun(fx?.dir as string, { command: 'run', select: ['nope'], warnError: true }),
    );
    expect(error.code).toBe('SSA-WARN-ERROR');
    expect(error.message).toBe("The selection criterion 'nope' does not match any enabled nodes");
  });

  it('--warn-error-options picks which warnings are errors', async () => {
    fx = writeFixture(WARN_TEST);
    const onlySelection = parseWarnErrorOptions({ error: ['NoNodesForSelectionCriteria'] });
    const run = await loadAndRun(fx.dir, { command: 'build', warnError: onlySelection });
    expect(run.status.not_null_a_id).toBe('warn');
    const allButTests = parseWarnErrorOptions({ error: 'all', warn: ['LogTestResult'] });
    expect(
      (await loadAndRun(fx.dir, { command: 'build', warnError: allButTests })).status.not_null_a_id,
    ).toBe('warn');
    const tests = parseWarnErrorOptions({ include: ['LogTestResult'] });
    expect((await loadAndRun(fx.dir, { command: 'build', warnError: tests })).status.not_null_a_id).toBe(
      'fail',
    );
  });

  it('bad --warn-error-options are errors with a did-you-mean', () => {
    expect(() => parseWarnErrorOptions({ eror: 'all' })).toThrow(/unknown key 'eror'/);
    try {
      parseWarnErrorOptions({ error: ['LogTestResults'] });
    } catch (error) {
      expect((error as { hint: string }).hint).toBe("did you mean 'LogTestResult'?");
    }
    expect(() => parseWarnErrorOptions('all')).toThrow(/expected a mapping/);
  });
});

describe('--selector and selectors.yml in a run', () => {
  it('runs what the named selector selects; default: true applies with no selection', async () => {
    fx = writeFixture({
      'models/a.sql': 'select 1 as id\n',
      'models/b.sql': "{{ config(tags=['nightly']) }}\nselect 2 as id\n",
      'selectors.yml':
        'selectors:\n  - name: nightly\n    default: true\n    definition: "tag:nightly"\n  - name: everything_but_b\n    definition:\n      union:\n        - "fqn:*"\n        - exclude: ["b"]\n',
    });
    const byDefault = await loadAndRun(fx.dir, { command: 'run' });
    expect(byDefault.status).toEqual({ b: 'success' });
    expect(
      byDefault.events.some(
        (e) => e.kind === 'log' && e.message === "Using selector 'nightly' (selectors.yml)",
      ),
    ).toBe(true);
    const named = await loadAndRun(fx.dir, { command: 'run', selector: 'everything_but_b' });
    expect(named.status).toEqual({ a: 'success' });
    expect(named.results.args.selector).toBe('everything_but_b');
    const explicit = await loadAndRun(fx.dir, { command: 'run', select: ['a'] });
    expect(explicit.status).toEqual({ a: 'success' });
  });

  it('a broken selectors.yml fails before anything runs, naming the file and line', async () => {
    fx = writeFixture({
      'models/a.sql': 'select 1 as id\n',
      'selectors.yml': 'selectors:\n  - name: x\n    definition:\n      method: tga\n      value: y\n',
    });
    const error = await caught(() => loadAndRun(fx?.dir as string, { command: 'run' }));
    expect(error.code).toBe('SSA-SELECTORS-INVALID');
    expect(error.file).toBe('selectors.yml');
    expect(error.line).toBe(4);
  });
});
