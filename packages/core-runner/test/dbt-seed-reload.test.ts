import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';
import { postgresTarget, usePostgres } from './warehouse-targets.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

// docs.getdbt.com/reference/commands/seed ("--full-refresh"): without it dbt truncates an existing
// seed table and inserts the file's rows (the table, its types and anything attached to it stay);
// --full-refresh drops and recreates it. Seen here by a table comment and a column type changed
// by hand, which only a truncate-and-reload keeps.
describe('seed reload without --full-refresh (docs.getdbt.com/reference/commands/seed)', () => {
  it('DuckDB: rows are replaced in the same table; --full-refresh recreates it', async () => {
    const fx = writeFixture({ 'seeds/s.csv': 'id,label\n1,a\n2,b\n' });
    fixtures.push(fx);
    expect((await loadAndRun(fx.dir, { command: 'seed', threads: 1 })).results.success).toBe(true);
    await queryWarehouse(
      fx.warehouse,
      "comment on table main.s is 'kept'; alter table main.s alter id type bigint",
    );
    fx.write({ 'seeds/s.csv': 'id,label\n3,c\n4,d\n5,e\n' });
    const reload = await loadAndRun(fx.dir, { command: 'seed', threads: 1 });
    expect(reload.status.s).toBe('success');
    expect(reload.results.results[0]?.rowsAffected).toBe(3);
    const state = () =>
      queryWarehouse(
        fx.warehouse,
        "select (select comment from duckdb_tables() where table_name = 's') as comment, (select data_type from information_schema.columns where table_name = 's' and column_name = 'id') as id_type, (select string_agg(label, '' order by id) from main.s) as labels",
      );
    expect(await state()).toEqual([{ comment: 'kept', id_type: 'BIGINT', labels: 'cde' }]);
    expect(
      (await loadAndRun(fx.dir, { command: 'seed', threads: 1, fullRefresh: true })).results.success,
    ).toBe(true);
    expect(await state()).toEqual([{ comment: null, id_type: 'INTEGER', labels: 'cde' }]);
  });

  describe('Postgres', () => {
    const stop = usePostgres();
    afterAll(() => stop());

    it('rows are replaced in the same table (truncate + copy); --full-refresh recreates it', async () => {
      const schema = `ssa_seed_reload_${process.pid}`;
      const fx = writeFixture({
        'profiles.yml': `fixture:\n  target: dev\n  outputs:\n    dev:\n${postgresTarget.output('', schema, 1)}`,
        'seeds/s.csv': 'id,label\n1,a\n2,b\n',
      });
      fixtures.push(fx);
      expect((await loadAndRun(fx.dir, { command: 'seed', threads: 1 })).results.success).toBe(true);
      await postgresTarget.query(fx.dir, `comment on table ${schema}.s is 'kept'`);
      const oid = async () =>
        (await postgresTarget.query(fx.dir, `select '${schema}.s'::regclass::oid::bigint as oid`))[0]?.oid;
      const before = await oid();
      fx.write({ 'seeds/s.csv': 'id,label\n3,c\n4,d\n5,e\n' });
      const reload = await loadAndRun(fx.dir, { command: 'seed', threads: 1 });
      expect(reload.status.s).toBe('success');
      expect(reload.results.results[0]?.rowsAffected).toBe(3);
      const state = () =>
        postgresTarget.query(
          fx.dir,
          `select obj_description('${schema}.s'::regclass) as comment, (select string_agg(label, '' order by id) from ${schema}.s) as labels`,
        );
      expect(await state()).toEqual([{ comment: 'kept', labels: 'cde' }]);
      expect(await oid()).toBe(before);
      await loadAndRun(fx.dir, { command: 'seed', threads: 1, fullRefresh: true });
      expect(await state()).toEqual([{ comment: null, labels: 'cde' }]);
      await postgresTarget.query(fx.dir, `drop schema ${schema} cascade`);
    });
  });
});
