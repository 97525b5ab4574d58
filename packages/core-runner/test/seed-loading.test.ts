import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

const seedYml = `version: 2
seeds:
  - name: plans
    description: Plans and their prices.
    config:
      column_types: {plan_id: integer, price: 'decimal(10,2)', launched_on: date}
`;

describe('seeds', () => {
  it('load with declared column types and a custom delimiter', async () => {
    const fx = writeFixture({
      'seeds/plans.csv': 'plan_id;price;launched_on\n1;9.99;2024-01-31\n2;19.50;2024-02-29\n',
      'seeds/_seeds.yml': seedYml.replace('launched_on: date}', "launched_on: date}\n      delimiter: ';'"),
    });
    fixtures.push(fx);
    const { status, results } = await loadAndRun(fx.dir, { command: 'seed' });
    expect(status.plans).toBe('success');
    expect(results.results[0]?.rowsAffected).toBe(2);
    expect(
      await queryWarehouse(
        fx.warehouse,
        "select column_name, data_type from information_schema.columns where table_name = 'plans' order by ordinal_position",
      ),
    ).toEqual([
      { column_name: 'plan_id', data_type: 'INTEGER' },
      { column_name: 'price', data_type: 'DECIMAL(10,2)' },
      { column_name: 'launched_on', data_type: 'DATE' },
    ]);
  });

  it('quote_columns: false turns header names into plain identifiers; by default they are kept', async () => {
    const fx = writeFixture({
      'seeds/kept.csv': 'Plan Id,Monthly Price\n1,9.99\n',
      'seeds/plain.csv': 'Plan Id,Monthly Price\n1,9.99\n',
      'seeds/_seeds.yml': 'version: 2\nseeds:\n  - name: plain\n    config: {quote_columns: false}\n',
    });
    fixtures.push(fx);
    expect((await loadAndRun(fx.dir, { command: 'seed' })).results.success).toBe(true);
    const columns = (table: string) =>
      queryWarehouse(
        fx.warehouse,
        `select column_name from information_schema.columns where table_name = '${table}' order by ordinal_position`,
      );
    expect(await columns('kept')).toEqual([{ column_name: 'Plan Id' }, { column_name: 'Monthly Price' }]);
    expect(await columns('plain')).toEqual([{ column_name: 'plan_id' }, { column_name: 'monthly_price' }]);
  });

  it('a ragged row fails with the file and row, and the previous table is kept', async () => {
    const fx = writeFixture({
      'seeds/plans.csv': 'plan_id,price,launched_on\n1,9.99,2024-01-31\n',
      'seeds/_seeds.yml': seedYml,
    });
    fixtures.push(fx);
    expect((await loadAndRun(fx.dir, { command: 'seed' })).status.plans).toBe('success');
    fx.write({ 'seeds/plans.csv': 'plan_id,price,launched_on\n1,9.99,2024-01-31\n2,19.50\n' });
    const { results } = await loadAndRun(fx.dir, { command: 'seed' });
    expect(results.results[0]?.status).toBe('error');
    expect(results.results[0]?.error).toMatchObject({
      code: 'SSA-SEED-002',
      file: 'seeds/plans.csv',
      line: 3,
    });
    expect(results.results[0]?.message).toMatch(/row 3 has 2 fields, the header has 3/);
    expect(await queryWarehouse(fx.warehouse, 'select count(*)::integer as n from main.plans')).toEqual([
      { n: 1 },
    ]);
  });

  it('a value that does not fit its declared type names the column', async () => {
    const fx = writeFixture({
      'seeds/plans.csv': 'plan_id,price,launched_on\n1,9.99,2024-01-31\n2,cheap,2024-02-29\n',
      'seeds/_seeds.yml': seedYml,
    });
    fixtures.push(fx);
    const { results } = await loadAndRun(fx.dir, { command: 'seed' });
    expect(results.results[0]?.status).toBe('error');
    expect(results.results[0]?.error).toMatchObject({
      code: 'SSA-SEED-003',
      file: 'seeds/plans.csv',
      line: 3,
    });
    expect(results.results[0]?.message).toMatch(/row 3, column 'price': 'cheap' is not a valid DECIMAL/);
  });
});
