import { afterEach, describe, expect, it } from 'vitest';
import { rewritePythonOperators } from '../src/template/operator-rewrite.js';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

// Python methods dbt packages call that minijinja's values lack
// (docs.python.org/3/library/stdtypes.html: list.index, str.index, str.format).
const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

describe("list.index, str.index, str.format, 'text' % args", () => {
  it('answer as Python does, in models and macros', async () => {
    const fx = writeFixture({
      'macros/position.sql':
        '{% macro position_of(names, name) %}{{ return(names.index(name) if name in names else -1) }}{% endmacro %}',
      'models/probe.sql': [
        "{% set cols = ['ID', 'NAME', 'AMOUNT'] %}",
        "select {{ cols.index('AMOUNT') }} as amount_at, {{ position_of(cols, 'NAME') }} as name_at,",
        "  {{ position_of(cols, 'MISSING') }} as missing_at, {{ 'abcdef'.index('cd') }} as sub_at,",
        "  '{{ 'The {}.{} model, {n} rows, {{braces}}'.format('shop', 'orders', n=3) }}' as formatted,",
        "  '{{ '{0}-{0}|{1:>4}|{2:.2f}'.format('x', 7, 2.5) }}' as spec,",
        "  '{{ '%s has %d rows (%.1f%%)' % ('orders', 12, 37.55) }}' as percent,",
        "  '{{ \"%(table)s:%03d\" % {'table': 'shop'} if false else 'n/a' }}' as unused,",
        "  '{{ 'id_%s' % cols[0] | lower }}' as single",
      ].join('\n'),
    });
    fixtures.push(fx);
    const run = await loadAndRun(fx.dir, { command: 'build', threads: 1 });
    expect(run.results.results.map((r) => r.status)).toEqual(['success']);
    expect(await queryWarehouse(fx.warehouse, 'select * from main.probe')).toEqual([
      {
        amount_at: 2,
        name_at: 1,
        missing_at: -1,
        sub_at: 2,
        formatted: 'The shop.orders model, 3 rows, {braces}',
        spec: 'x-x|   7|2.50',
        percent: 'orders has 12 rows (37.5%)',
        unused: 'n/a',
        single: 'id_id',
      },
    ]);
  });

  it('a value missing from the list fails the render with Python’s message', async () => {
    const fx = writeFixture({ 'models/probe.sql': "select {{ ['a'].index('b') }} as n" });
    fixtures.push(fx);
    const run = await loadAndRun(fx.dir, { command: 'build', threads: 1 }).catch((error: Error) => error);
    const message = run instanceof Error ? run.message : JSON.stringify(run.results.results);
    expect(message).toContain("'b' is not in list");
  });

  it('leaves a macro namespace called format alone', () => {
    const isNamespace = (name: string) => name === 'helpers';
    expect(rewritePythonOperators('{{ helpers.format(x) }} {{ y.format(1) }}', isNamespace)).toBe(
      "{{ helpers.format(x) }} {{ __py_method__(y, 'format', 1) }}",
    );
  });
});
