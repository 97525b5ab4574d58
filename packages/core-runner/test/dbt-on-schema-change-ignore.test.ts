import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

// https://docs.getdbt.com/docs/build/incremental-models#what-if-the-columns-of-my-incremental-model-change :
// with the default `ignore`, a removed column makes `dbt run` fail (an added one is not written).
describe("on_schema_change 'ignore' (docs.getdbt.com/docs/build/incremental-models)", () => {
  it('fails when the model no longer selects a column of its table, and leaves the table alone', async () => {
    const model = (columns: string) =>
      `{{ config(materialized='incremental', unique_key='id', on_schema_change='ignore') }}\nselect ${columns} from (select 1 as id, 'a' as kept, 'b' as dropped)`;
    const fx = writeFixture({ 'models/inc.sql': model('id, kept, dropped') });
    fixtures.push(fx);
    expect((await loadAndRun(fx.dir, { command: 'run', threads: 1 })).results.success).toBe(true);
    fx.write({ 'models/inc.sql': model('id, kept') });
    const second = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(second.status).toEqual({ inc: 'error' });
    const result = second.results.results[0];
    expect(result?.error?.code).toBe('SSA-INCR-005');
    expect(result?.message).toContain('dropped');
    // Nothing written as NULL: the row keeps its value.
    expect(await queryWarehouse(fx.warehouse, 'select * from main.inc')).toEqual([
      { id: 1, kept: 'a', dropped: 'b' },
    ]);
  });
});
