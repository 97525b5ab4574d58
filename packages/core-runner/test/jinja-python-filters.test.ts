import { afterEach, describe, expect, it } from 'vitest';
import { pythonFilters } from '../src/template/python-filters.js';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

// https://jinja.palletsprojects.com/en/stable/templates/#jinja-filters.indent :
// indent(s, width=4, first=False, blank=False); minijinja's own requires the width.
const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

describe('indent as Python Jinja has it', () => {
  it('defaults to 4 spaces, leaves the first and blank lines alone, takes first/blank and a string width', () => {
    const { indent } = pythonFilters as { indent: (...args: unknown[]) => string };
    expect(indent('a\n\nb')).toBe('a\n\n    b');
    expect(indent('a\nb\n')).toBe('a\n    b\n');
    expect(indent('a\nb', 2, new Map([['first', true]]))).toBe('  a\n  b');
    expect(indent('a\n\nb', '> ', false, true)).toBe('a\n> \n> b');
    expect(
      indent(
        'a\nb',
        new Map<string, unknown>([
          ['width', 1],
          ['first', true],
        ]),
      ),
    ).toBe(' a\n b');
  });

  it('works on a macro call in a model, as dbt_utils writes `{{ dbt_utils.deduplicate(...) | indent }}`', async () => {
    const fx = writeFixture({
      'macros/pick.sql': '{% macro pick(v) %}\nselect\n{{ v }} as v{% endmacro %}\n',
      'models/probe.sql': 'with picked as (\n    {{ pick(7) | indent }}\n)\nselect * from picked\n',
    });
    fixtures.push(fx);
    const { status } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(status.probe).toBe('success');
    expect(await queryWarehouse(fx.warehouse, 'select v from main.probe')).toEqual([{ v: 7 }]);
  });
});
