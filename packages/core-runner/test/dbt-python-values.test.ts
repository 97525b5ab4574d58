import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

// dbt renders with Python's Jinja: True/False/None print as Python does
// (docs.getdbt.com/reference/dbt-jinja-functions), and its context has `zip`, `set`, `local_md5`
// (docs.getdbt.com/reference/dbt-jinja-functions/local_md5), `run_started_at` (a UTC datetime,
// /run_started_at), `project_name` (/project_name) and `invocation_id` (/invocation_id).
describe('Python-style values and context names (docs.getdbt.com/reference/dbt-jinja-functions)', () => {
  it('prints booleans and none as Python does, and provides zip, set, local_md5, run_started_at, project_name, invocation_id', async () => {
    const fx = writeFixture(
      {
        'dbt_project.yml': 'name: shop\nprofile: shop\nvars:\n  enabled: true\n',
        'macros/flag.sql': '{% macro flag(x) %}{{ x > 1 }}{% endmacro %}',
        'models/m.sql': [
          "select '{{ 1 == 1 }}' as t, '{{ 1 == 2 }}' as f, '{{ none }}' as n, '{{ var(\"enabled\") }}' as v,",
          "  '{{ flag(2) }}' as via_macro, '{{ [1, 2] | length }}' as len,",
          "  '{% for a, b in zip([1, 2], ['x', 'y']) %}{{ a }}{{ b }}{% endfor %}' as zipped,",
          "  '{{ set([1, 2, 2, 3]) | length }}' as distinct_count,",
          "  '{{ local_md5('shop') }}' as md5,",
          "  '{{ run_started_at }}' as started_text,",
          "  '{{ run_started_at.strftime('%Y-%m-%d %H') }}' as started_hour,",
          "  '{{ project_name }}' as project, '{{ invocation_id }}' as invocation,",
          "  '{% raw %}{{ true }}{% endraw %}' as raw_text",
        ].join('\n'),
      },
      { name: 'shop' },
    );
    fixtures.push(fx);
    const { results, project } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(results.success).toBe(true);
    const [row] = await queryWarehouse(fx.warehouse, 'select * from main.m');
    const started = project.runStartedAt;
    const iso = started.toISOString();
    expect(row).toEqual({
      t: 'True',
      f: 'False',
      n: 'None',
      v: 'True',
      via_macro: 'True',
      len: '2',
      zipped: '1x2y',
      distinct_count: '3',
      md5: createHash('md5').update('shop').digest('hex'),
      // Python's str() of an aware UTC datetime.
      started_text: `${iso.slice(0, 10)} ${iso.slice(11, 23)}000+00:00`,
      started_hour: `${iso.slice(0, 10)} ${iso.slice(11, 13)}`,
      project: 'shop',
      invocation: project.invocationId,
      raw_text: '{{ true }}',
    });
  });

  it("prints expressions whose string literals hold '}}', '%}' or braces, as Jinja does", async () => {
    const fx = writeFixture(
      {
        'dbt_project.yml': 'name: shop\nprofile: shop\n',
        'models/m.sql': [
          "{% set a = 'x' %}",
          "select '{{ a ~ '}}' }}' as closing, '{{- '%}' -}}' as tag_close,",
          "  '{{ {'k': '}'}['k'] }}' as brace, '{{ (a ~ '{{') == 'x{{' }}' as opening_is_true",
        ].join('\n'),
      },
      { name: 'shop' },
    );
    fixtures.push(fx);
    const { results } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(results.success).toBe(true);
    const [row] = await queryWarehouse(fx.warehouse, 'select * from main.m');
    expect(row).toEqual({ closing: 'x}}', tag_close: '%}', brace: '}', opening_is_true: 'True' });
  });
});
