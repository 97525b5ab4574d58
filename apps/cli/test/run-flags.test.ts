import { afterEach, describe, expect, it } from 'vitest';
import { shopsmart, writeDbtProject } from './support/cli-binary.js';

// --fail-fast, --empty, --warn-error(-options) and --selector through the real binary.
const projects: { remove(): void }[] = [];
afterEach(() => {
  for (const project of projects.splice(0)) project.remove();
});
function project(files: Record<string, string>) {
  const written = writeDbtProject('shopsmart-cli-flags-', files);
  projects.push(written);
  return { ...written, at: ['--project-dir', written.dir] };
}

const WARN = {
  'models/a.sql': 'select null as id\n',
  'models/_models.yml':
    'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - not_null:\n              config: {severity: warn}\n',
};

describe('--fail-fast (-x)', () => {
  it('stops at the first failure, skips the rest, exits 1', async () => {
    const p = project({ 'models/a.sql': 'select id from nowhere\n', 'models/b.sql': 'select 1 as id\n' });
    const { code, stdout } = await shopsmart(['build', '-x', ...p.at]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/1 of 2 ERROR view main\.a/);
    expect(stdout).toMatch(/2 of 2 SKIP model b — skipped: --fail-fast stopped the run after 'a' failed/);
    const without = await shopsmart(['build', ...p.at]);
    expect(without.stdout).toMatch(/OK view main\.b/);
  });
});

describe('--empty', () => {
  it('builds the models with their columns and no rows', async () => {
    const p = project({
      'seeds/people.csv': 'id,name\n1,ann\n2,bob\n',
      'models/stg_people.sql': "select id, upper(name) as name from {{ ref('people') }} as p\n",
    });
    const { code } = await shopsmart(['build', '--empty', ...p.at]);
    expect(code).toBe(0);
    const counted = await shopsmart([
      'show',
      '--inline',
      "select (select count(*) from {{ ref('stg_people') }}) as models, (select count(*) from {{ ref('people') }}) as seeds",
      '--output',
      'json',
      ...p.at,
    ]);
    expect(JSON.parse(counted.stdout)).toEqual({ show: [{ models: 0, seeds: 2 }] });
    const columns = await shopsmart(['show', '-s', 'stg_people', '--output', 'json', ...p.at]);
    expect(JSON.parse(columns.stdout)).toEqual({
      node: 'stg_people',
      show: [
        { id: 1, name: 'ANN' },
        { id: 2, name: 'BOB' },
      ],
    });
  });

  it('is not offered where dbt does not take it (test)', async () => {
    const p = project({ 'models/a.sql': 'select 1 as id\n' });
    const { code, stderr } = await shopsmart(['test', '--empty', ...p.at]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option '--empty'/);
  });
});

describe('--warn-error and --warn-error-options', () => {
  it('a warn test passes by default and fails the run under --warn-error', async () => {
    const p = project(WARN);
    const plain = await shopsmart(['build', ...p.at]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/WARN test not_null_a_id/);
    const strict = await shopsmart(['build', '--warn-error', ...p.at]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/FAIL test not_null_a_id .*--warn-error/);
  });

  it('a selection matching nothing stops before anything runs (2); options pick the warnings', async () => {
    const p = project(WARN);
    const nothing = await shopsmart(['run', '-s', 'nope', '--warn-error', ...p.at]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(
      /SSA-WARN-ERROR.*The selection criterion 'nope' does not match any enabled nodes/,
    );
    const onlySelection = await shopsmart([
      'build',
      '--warn-error-options',
      '{"error": ["NoNodesForSelectionCriteria"]}',
      ...p.at,
    ]);
    expect(onlySelection.code).toBe(0);
    const tests = await shopsmart([
      'build',
      '--warn-error-options',
      '{error: all, warn: [NoNodesForSelectionCriteria]}',
      ...p.at,
    ]);
    expect(tests.code).toBe(1);
    const bad = await shopsmart(['build', '--warn-error-options', '{error: [LogTestResults]}', ...p.at]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/did you mean 'LogTestResult'\?/);
  });
});

describe('--selector with selectors.yml', () => {
  const SELECTORS = {
    'models/a.sql': 'select 1 as id\n',
    'models/b.sql': "{{ config(tags=['nightly']) }}\nselect 2 as id\n",
    'models/c.sql': "select * from {{ ref('b') }}\n",
    'selectors.yml': `selectors:
  - name: nightly
    description: tagged nightly, and what reads them
    definition:
      method: tag
      value: nightly
      children: true
  - name: all_but_nightly
    definition:
      union:
        - "fqn:*"
        - exclude:
            - method: selector
              value: nightly
`,
  };

  it('runs and lists what the named selector selects', async () => {
    const p = project(SELECTORS);
    const run = await shopsmart(['run', '--selector', 'nightly', ...p.at]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Using selector 'nightly'/);
    expect(run.stdout).toMatch(/Running run with 2 nodes/);
    const ls = await shopsmart(['ls', '--selector', 'all_but_nightly', ...p.at]);
    expect(ls.stdout.trim().split('\n')).toEqual(['shop.a']);
  });

  it('default: true applies when nothing is selected', async () => {
    const p = project({
      ...SELECTORS,
      'selectors.yml': 'selectors:\n  - name: only_a\n    default: true\n    definition: a\n',
    });
    const ls = await shopsmart(['ls', ...p.at]);
    expect(ls.stdout.trim().split('\n')).toEqual(['shop.a']);
    const explicit = await shopsmart(['ls', '-s', 'b', ...p.at]);
    expect(explicit.stdout.trim().split('\n')).toEqual(['shop.b']);
  });

  it('errors: unknown selector (did-you-mean), a broken selectors.yml (file:line), exit 2', async () => {
    const p = project(SELECTORS);
    const unknown = await shopsmart(['build', '--selector', 'nightli', ...p.at]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/\[SSA-SELECTOR-404\] selectors\.yml: selector 'nightli' is not defined/);
    expect(unknown.stderr).toMatch(/did you mean 'nightly'\?/);
    p.write({
      'selectors.yml':
        'selectors:\n  - name: x\n    definition:\n      method: tga\n      value: y\n  - name: x\n    definition: a\n',
    });
    const broken = await shopsmart(['run', ...p.at]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/selectors\.yml:4: selector 'x': unknown selector method 'tga'/);
    expect(broken.stderr).toMatch(/selectors\.yml:6: selector 'x' is defined twice \(first at line 2\)/);
    expect(broken.stderr).not.toMatch(/\n\s+at /);
  });
});
