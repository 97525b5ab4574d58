import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

describe('templates that ask the warehouse while their node holds a connection', () => {
  it('answer on the node’s own connection, so a single thread does not deadlock', async () => {
    const fx = writeFixture(
      {
        'models/base.sql':
          "{{ config(materialized='table') }}\nselect 1 as id, 'a' as kind union all select 2, 'b'",
        'models/columns.sql': `{% set cols = adapter.get_columns_in_relation(ref('base')) %}
select {% for c in cols %}'{{ c.name }}' as col_{{ loop.index }}{% if not loop.last %}, {% endif %}{% endfor %}`,
        'models/kinds.sql': `{% set kinds = get_column_values(ref('base'), 'kind', order_by='kind') %}
select {{ kinds | length }} as kind_count, '{{ kinds | join(",") }}' as kinds`,
      },
      { threads: 1 },
    );
    fixtures.push(fx);
    const { results } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(results.success).toBe(true);
    expect(await queryWarehouse(fx.warehouse, 'select * from main.columns')).toEqual([
      { col_1: 'id', col_2: 'kind' },
    ]);
    expect(await queryWarehouse(fx.warehouse, 'select * from main.kinds')).toEqual([
      { kind_count: 2, kinds: 'a,b' },
    ]);
  });
});
