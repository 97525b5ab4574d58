import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

// https://docs.getdbt.com/reference/commands/seed and https://docs.getdbt.com/docs/build/seeds :
// seed column types are inferred (dbt-adapters: whole numbers `integer`, decimals `float8`);
// when a seed's columns change, `dbt seed --full-refresh` is needed to recreate the table.
describe('seeds (docs.getdbt.com/docs/build/seeds, /reference/commands/seed)', () => {
  it('types whole-number columns INTEGER (BIGINT only when a value needs it), decimals DOUBLE', async () => {
    const fx = writeFixture({
      'seeds/s.csv': 'id,big,amount,label\n1,3000000000,1.5,a\n2,4,2,b\n',
    });
    fixtures.push(fx);
    const { results } = await loadAndRun(fx.dir, { command: 'seed', threads: 1 });
    expect(results.success).toBe(true);
    const types = await queryWarehouse(
      fx.warehouse,
      "select column_name, data_type from information_schema.columns where table_name = 's' order by ordinal_position",
    );
    expect(types).toEqual([
      { column_name: 'id', data_type: 'INTEGER' },
      { column_name: 'big', data_type: 'BIGINT' },
      { column_name: 'amount', data_type: 'DOUBLE' },
      { column_name: 'label', data_type: 'VARCHAR' },
    ]);
  });

  it('fails a seed whose columns changed, asking for --full-refresh; --full-refresh recreates it', async () => {
    const fx = writeFixture({ 'seeds/s.csv': 'id,label\n1,a\n' });
    fixtures.push(fx);
    expect((await loadAndRun(fx.dir, { command: 'seed', threads: 1 })).results.success).toBe(true);
    fx.write({ 'seeds/s.csv': 'id,name,score\n1,a,3\n' });
    const changed = await loadAndRun(fx.dir, { command: 'seed', threads: 1 });
    expect(changed.status).toEqual({ s: 'error' });
    const message = changed.results.results[0]?.message ?? '';
    expect(message).toContain('--full-refresh');
    expect(message).toContain('added name, score');
    expect(message).toContain('removed label');
    // The old table is untouched.
    expect(await queryWarehouse(fx.warehouse, 'select * from main.s')).toEqual([{ id: 1, label: 'a' }]);
    // Unchanged columns reload without --full-refresh.
    fx.write({ 'seeds/s.csv': 'id,name,score\n1,a,3\n2,b,4\n' });
    const refreshed = await loadAndRun(fx.dir, { command: 'seed', threads: 1, fullRefresh: true });
    expect(refreshed.status).toEqual({ s: 'success' });
    fx.write({ 'seeds/s.csv': 'id,name,score\n1,a,3\n2,b,4\n3,c,5\n' });
    expect((await loadAndRun(fx.dir, { command: 'seed', threads: 1 })).status).toEqual({ s: 'success' });
    expect(await queryWarehouse(fx.warehouse, 'select count(*) as n from main.s')).toEqual([{ n: 3 }]);
  });
});
