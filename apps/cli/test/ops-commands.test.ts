import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopsmart, writeDbtProject } from './support/cli-binary.js';

// show, run-operation and retry through the real binary, as dbt documents them:
// https://docs.getdbt.com/reference/commands/show, …/run-operation, …/retry
const project = writeDbtProject('shopsmart-cli-ops-', {
  'seeds/people.csv': 'id,name\n1,ann\n2,bob\n3,cy\n4,dee\n5,eve\n6,fay\n7,gus\n',
  'models/stg_people.sql': "select id, upper(name) as name from {{ ref('people') }}\n",
  'models/people_even.sql':
    "{{ config(materialized='ephemeral') }}\nselect * from {{ ref('stg_people') }} where id % 2 = 0\n",
  'macros/ops.sql': `{% macro shout(col) %}upper({{ col }}) || '!'{% endmacro %}
{% macro make_table(name, rows=1) %}
  {% do run_query('create or replace table main.' ~ name ~ ' as select range as id from range(' ~ rows ~ ')') %}
  {{ log('made ' ~ name, info=True) }}
  {{ return(name ~ ' has ' ~ rows ~ ' rows') }}
{% endmacro %}
{% macro fails() %}{{ exceptions.raise_compiler_error('no grants for you') }}{% endmacro %}
`,
});
const at = ['--project-dir', project.dir];

beforeAll(async () => {
  const build = await shopsmart(['build', ...at]);
  expect(build.code).toBe(0);
});
afterAll(() => project.remove());

describe('shopsmart show', () => {
  it('-s previews a model as a table, 5 rows by default, numbers right-aligned', async () => {
    const { code, stdout } = await shopsmart(['show', '-s', 'stg_people', ...at]);
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 4)).toEqual([
      "Previewing node 'stg_people':",
      '| id | name |',
      '| -- | ---- |',
      '|  1 | ANN  |',
    ]);
    expect(stdout.match(/^\| +\d+ \|/gm)?.length).toBe(5);
  });

  it('--limit and --output json (dbt shape: node and show)', async () => {
    const { code, stdout } = await shopsmart([
      'show',
      '-s',
      'people_even',
      '--limit',
      '2',
      '--output',
      'json',
      ...at,
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      node: 'people_even',
      show: [
        { id: 2, name: 'BOB' },
        { id: 4, name: 'DEE' },
      ],
    });
  });

  it('--inline renders refs and macros', async () => {
    const { code, stdout } = await shopsmart([
      'show',
      '--inline',
      "select {{ shout('name') }} as loud from {{ ref('people_even') }} order by id desc",
      '--limit',
      '1',
      '--output',
      'json',
      ...at,
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ show: [{ loud: 'FAY!' }] });
  });

  it('errors: neither -s nor --inline (2), an unknown ref (2, did-you-mean), bad SQL (1), a bad --limit (2)', async () => {
    const none = await shopsmart(['show', ...at]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/show needs a node to preview \(--select\) or SQL \(--inline\)/);
    const badRef = await shopsmart(['show', '--inline', "select * from {{ ref('stg_peple') }}", ...at]);
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toMatch(/SSA-REF-404/);
    expect(badRef.stderr).toMatch(/did you mean 'stg_people'\?/);
    const badSql = await shopsmart(['show', '--inline', 'select nope from main.stg_people', ...at]);
    expect(badSql.code).toBe(1);
    expect(badSql.stderr).toMatch(/SSA-SQL-001/);
    expect(badSql.stderr).not.toMatch(/\n\s+at /);
    const badLimit = await shopsmart(['show', '-s', 'stg_people', '--limit', 'many', ...at]);
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toMatch(/--limit/);
  });
});

describe('shopsmart run-operation', () => {
  it('calls the macro with --args, prints its log lines and return value', async () => {
    const { code, stdout } = await shopsmart([
      'run-operation',
      'make_table',
      '--args',
      '{name: ops_made, rows: 3}',
      ...at,
    ]);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual(['made ops_made', 'ops_made has 3 rows']);
    const counted = await shopsmart([
      'show',
      '--inline',
      'select count(*) as n from main.ops_made',
      '--output',
      'json',
      ...at,
    ]);
    expect(JSON.parse(counted.stdout)).toEqual({ show: [{ n: 3 }] });
  });

  it('errors: unknown macro (2, did-you-mean), a macro that raises (1, named), bad --args (2), no macro (2)', async () => {
    const unknown = await shopsmart(['run-operation', 'make_tabel', ...at]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no macro named 'make_tabel'/);
    expect(unknown.stderr).toMatch(/did you mean 'make_table'\?/);
    const raised = await shopsmart(['run-operation', 'fails', ...at]);
    expect(raised.code).toBe(1);
    expect(raised.stderr).toMatch(/macros\/ops\.sql: run-operation fails failed: .*no grants for you/);
    const badArgs = await shopsmart(['run-operation', 'make_table', '--args', '[1, 2]', ...at]);
    expect(badArgs.code).toBe(2);
    expect(badArgs.stderr).toMatch(/--args must be a YAML\/JSON mapping/);
    const missing = await shopsmart(['run-operation', ...at]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/macro/);
  });
});

describe('shopsmart retry', () => {
  it('without run_results.json: a clear error (2)', async () => {
    const fresh = writeDbtProject('shopsmart-cli-retry-', { 'models/a.sql': 'select 1 as id\n' });
    try {
      const { code, stderr } = await shopsmart(['retry', '--project-dir', fresh.dir]);
      expect(code).toBe(2);
      expect(stderr).toMatch(/retry: no target\/run_results\.json to retry from/);
      expect(stderr).toMatch(/hint: run build, run, test, seed or snapshot first/);
    } finally {
      fresh.remove();
    }
  });

  it('re-runs only what errored or was skipped, with the last command and its flags', async () => {
    const retry = writeDbtProject('shopsmart-cli-retry-', {
      'models/a.sql': 'select id from no_such_table\n',
      'models/b.sql': 'select 2 as id\n',
      'models/c.sql': "select * from {{ ref('a') }}\n",
    });
    const dir = ['--project-dir', retry.dir];
    try {
      const first = await shopsmart(['run', '--fail-fast', ...dir]);
      expect(first.code).toBe(1);
      expect(first.stdout).toMatch(/SKIP model b — skipped: --fail-fast stopped the run after 'a' failed/);
      retry.write({ 'models/a.sql': 'select 1 as id\n' });
      const second = await shopsmart(['retry', ...dir]);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/Retrying run: 3 nodes errored, failed or were skipped last time/);
      expect(second.stdout).toMatch(/Running run with 3 nodes/);
      const third = await shopsmart(['retry', ...dir]);
      expect(third.code).toBe(0);
      expect(third.stdout).toMatch(/Nothing to retry: every node of the last run passed/);
      expect(existsSync(join(retry.dir, 'target', 'run_results.json'))).toBe(true);
    } finally {
      retry.remove();
    }
  });

  it("reuses the last run's --vars (dbt), and --warn-error is its own flag", async () => {
    const retry = writeDbtProject('shopsmart-cli-retry-', {
      'models/a.sql': "select {{ var('n') }} as id from no_such_table\n",
      'models/b.sql': "select {{ var('n') }} as id\n",
    });
    const dir = ['--project-dir', retry.dir];
    try {
      const first = await shopsmart(['run', '--vars', '{n: 7}', ...dir]);
      expect(first.code).toBe(1);
      retry.write({ 'models/a.sql': "select {{ var('n') }} as id\n" });
      const second = await shopsmart(['retry', ...dir]);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/Running run with 1 node/);
      const shown = await shopsmart(['show', '-s', 'a', '--vars', '{n: 7}', '--output', 'json', ...dir]);
      expect(JSON.parse(shown.stdout)).toEqual({ node: 'a', show: [{ id: 7 }] });
      const help = await shopsmart(['retry', '--help']);
      expect(help.stdout).toMatch(/--warn-error/);
    } finally {
      retry.remove();
    }
  });
});
