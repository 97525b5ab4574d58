import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

const model = {
  'models/orders.sql': "select 1 as id, 10 as amount, 'placed' as status",
  'models/big_orders.sql': "select id, amount * 2 as doubled from {{ ref('orders') }} where amount >= 10",
};

const unitTest = (given: string, expectBlock: string) => `version: 2
unit_tests:
  - name: doubles_big_orders
    model: big_orders
    given:
      - input: ref('orders')
${given}
    expect:
${expectBlock}
`;

// https://docs.getdbt.com/reference/resource-properties/data-formats : given and expect take
// format dict (default), csv (inline or `fixture:` file in tests/fixtures) and sql (inline or file;
// every column must be given).
describe('unit test data formats (docs.getdbt.com/reference/resource-properties/data-formats)', () => {
  it.each([
    [
      'dict / csv expect',
      '        rows:\n          - {id: 1, amount: 10}\n          - {id: 2, amount: 3}',
      '      format: csv\n      rows: |\n        id,doubled\n        1,20',
      {},
    ],
    [
      'sql given / sql expect',
      "        format: sql\n        rows: |\n          select 1 as id, 10 as amount, 'x' as status\n          union all select 2, 3, 'y'",
      '      format: sql\n      rows: select 1 as id, 20 as doubled',
      {},
    ],
    [
      'csv and sql fixture files',
      '        format: csv\n        fixture: orders_rows',
      '      format: sql\n      fixture: expected_big',
      {
        'tests/fixtures/orders_rows.csv': 'id,amount,status\n1,10,placed\n2,3,placed\n',
        'tests/fixtures/expected_big.sql': 'select 1 as id, 20 as doubled',
      },
    ],
  ])('%s: a correct test passes and a wrong expectation fails', async (_label, given, expectBlock, files) => {
    const fx = writeFixture({ ...model, ...files, 'models/unit.yml': unitTest(given, expectBlock) });
    fixtures.push(fx);
    const ok = await loadAndRun(fx.dir, { command: 'test', threads: 1, select: ['doubles_big_orders'] });
    expect(ok.status).toEqual({ doubles_big_orders: 'pass' });
    const wrong = expectBlock.replace('20', '21');
    const wrongFiles = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.replace('20', '21')]));
    fx.write({ ...wrongFiles, 'models/unit.yml': unitTest(given, wrong) });
    const failed = await loadAndRun(fx.dir, { command: 'test', threads: 1, select: ['doubles_big_orders'] });
    expect(failed.status).toEqual({ doubles_big_orders: 'fail' });
  });

  it('a fixture file that does not exist is a parse error naming it', async () => {
    const fx = writeFixture({
      ...model,
      'models/unit.yml': unitTest('        format: csv\n        fixture: nope', '      rows: []'),
    });
    fixtures.push(fx);
    await expect(loadAndRun(fx.dir, { command: 'test', threads: 1 })).rejects.toThrow(/fixture 'nope'/);
  });
});
