import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

describe('the `model` context variable', () => {
  it('is the node being rendered, in the template and in the macros it calls', async () => {
    const fx = writeFixture({
      'macros/who.sql': "{% macro who() %}'{{ model.name }}'{% endmacro %}",
      'models/first.sql': "select {{ who() }} as via_macro, '{{ model.unique_id }}' as direct",
      'models/second.sql': 'select {{ who() }} as via_macro',
      'models/third.sql': "select 'plain' as via_macro",
      'models/fourth.sql': 'select {{ who() }} as via_macro',
    });
    fixtures.push(fx);
    const { results } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(results.success).toBe(true);
    const rows = await queryWarehouse(
      fx.warehouse,
      'select * from (select via_macro from main.second union all select via_macro from main.fourth union all select via_macro from main.first) order by 1',
    );
    expect(rows).toEqual([{ via_macro: 'first' }, { via_macro: 'fourth' }, { via_macro: 'second' }]);
    expect(await queryWarehouse(fx.warehouse, 'select direct from main.first')).toEqual([
      { direct: 'model.fixture.first' },
    ]);
  });
});
