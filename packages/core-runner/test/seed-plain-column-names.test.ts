import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

// https://docs.getdbt.com/reference/resource-configs/quote_columns : with quote_columns false dbt
// creates the seed's columns unquoted, so a header `value` or `event` is the column value / event
// (DuckDB's normalize_names would call them _value and _event).
describe('seeds with quote_columns: false', () => {
  it('keep keyword-like header names as plain columns, and reload without a column change', async () => {
    const fx = writeFixture({
      'dbt_project.yml': 'name: fixture\nprofile: fixture\nseeds:\n  +quote_columns: false\n',
      'seeds/events.csv': 'User_id,event,value,name,Some Col\n1,play,2,a,x\n',
      'models/played.sql': "select user_id, event, value, name, some_col from {{ ref('events') }}\n",
    });
    fixtures.push(fx);
    expect((await loadAndRun(fx.dir, { command: 'build', threads: 1 })).results.success).toBe(true);
    expect(await queryWarehouse(fx.warehouse, 'select * from main.played')).toEqual([
      { user_id: 1, event: 'play', value: 2, name: 'a', some_col: 'x' },
    ]);
    const again = await loadAndRun(fx.dir, { command: 'build', threads: 1 });
    expect(again.status.events).toBe('success');
  });
});
