import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, type FixtureBuild, modelsYaml } from './support/fixture-build.js';
import { fixtureModels } from './support/fixture-models.js';
import { genericTestCases } from './support/generic-test-cases.js';

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
const libraryTests = readdirSync(new URL('../tests/generic/', import.meta.url))
  .filter((file) => file.endsWith('.sql'))
  .map((file) => file.replace(/\.sql$/, ''))
  .sort();

let fixture: FixtureBuild | undefined;
let buildError: unknown;

/** The built fixture; when the build itself failed, every test fails with that error. */
function built(): FixtureBuild {
  if (!fixture) throw buildError;
  return fixture;
}

/** Column names and types of a built model, in order. */
const columnsOf = (model: string) =>
  built().query(
    `select column_name, data_type from information_schema.columns where table_schema = 'main' and table_name = '${model}' order by ordinal_position`,
  );

beforeAll(async () => {
  try {
    fixture = await buildFixture({ ...fixtureModels, 'models/_models.yml': modelsYaml(genericTestCases) });
  } catch (error) {
    buildError = error;
  }
});

afterAll(() => fixture?.dispose());

describe('the fixture build', () => {
  it('finishes', () => {
    expect(buildError).toBeUndefined();
  });

  it('declares a passing and a failing case for every generic test of the library', () => {
    const covered = (status: string) =>
      new Set(genericTestCases.filter((c) => c.status === status).map((c) => c.test));
    expect(libraryTests).toHaveLength(20);
    expect(libraryTests.filter((test) => !covered('pass').has(test))).toEqual([]);
    expect(libraryTests.filter((test) => !covered('fail').has(test))).toEqual([]);
  });

  it('builds every model (no failing test sits upstream of a macro model)', () => {
    const models = built().results.results.filter((r) => r.uniqueId.startsWith('model.'));
    expect(
      models
        .filter((r) => r.status !== 'success')
        .map((r) => `${r.uniqueId}: ${r.status} ${r.error?.message ?? r.message}`),
    ).toEqual([]);
    expect(models).toHaveLength(Object.keys(fixtureModels).filter((path) => path.endsWith('.sql')).length);
  });

  it('runs every declared test without an error', () => {
    const tests = built().results.results.filter((r) => r.uniqueId.startsWith('test.'));
    expect(
      tests
        .filter((r) => !['pass', 'fail', 'warn'].includes(r.status))
        .map((r) => `${r.uniqueId}: ${r.status} ${r.error?.message ?? r.message}`),
    ).toEqual([]);
    expect(tests).toHaveLength(genericTestCases.length);
  });
});

describe('generic tests', () => {
  it.each(genericTestCases)('$test: $name is $status with $failures failing rows', (testCase) => {
    const result = built().resultOf(testCase.name);
    expect(
      { status: result.status, failures: result.failures },
      result.error?.message ?? result.message,
    ).toEqual({
      status: testCase.status,
      failures: testCase.failures,
    });
    const { failing } = testCase;
    if (failing) {
      const values = (result.sampleRows ?? []).map((row) => String(row[failing.column])).sort();
      expect(values).toEqual(failing.values.map(String).sort());
    }
  });
});

describe('utility macros', () => {
  it('generate_surrogate_key hashes like dbt_utils (nulls as a marker, values joined by "-"), also called as quality. and dbt_utils.', async () => {
    expect(
      await built().query(
        'select key_id, pair_key, id_key, dbt_utils_pair_key from main.surrogate_keys order by key_id',
      ),
    ).toEqual([
      { key_id: 1, pair_key: md5('1-x'), id_key: md5('1'), dbt_utils_pair_key: md5('1-x') },
      {
        key_id: 2,
        pair_key: md5('2-_dbt_utils_surrogate_key_null_'),
        id_key: md5('2'),
        dbt_utils_pair_key: md5('2-_dbt_utils_surrogate_key_null_'),
      },
    ]);
  });

  it('date_spine covers start to end (excluded), as dates for day and month, as timestamps for hour', async () => {
    expect(await built().query('select date_day from main.spine_days order by 1')).toEqual(
      ['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01'].map((date_day) => ({ date_day })),
    );
    expect(await built().query('select date_month from main.spine_months order by 1')).toEqual(
      ['2024-01-01', '2024-02-01', '2024-03-01'].map((date_month) => ({ date_month })),
    );
    expect(await built().query('select date_hour from main.spine_hours order by 1')).toEqual(
      ['2024-01-01 22:00:00', '2024-01-01 23:00:00', '2024-01-02 00:00:00'].map((date_hour) => ({
        date_hour,
      })),
    );
    expect([
      ...(await columnsOf('spine_days')),
      ...(await columnsOf('spine_months')),
      ...(await columnsOf('spine_hours')),
    ]).toEqual([
      { column_name: 'date_day', data_type: 'DATE' },
      { column_name: 'date_month', data_type: 'DATE' },
      { column_name: 'date_hour', data_type: 'TIMESTAMP' },
    ]);
  });

  it('star lists the columns without except (any case), with an alias, prefix and suffix', async () => {
    expect((await columnsOf('star_orders')).map((c) => c.column_name)).toEqual([
      'order_id',
      'status',
      'order_date',
    ]);
    expect(
      await built().query('select * from main.star_orders where order_id in (1, 6) order by order_id'),
    ).toEqual([
      { order_id: 1, status: 'placed', order_date: '2024-01-01' },
      { order_id: 6, status: 'cancelled', order_date: '2024-01-02' },
    ]);
    expect((await columnsOf('star_renamed')).map((c) => c.column_name)).toEqual([
      'order_order_id_v',
      'order_amount_v',
    ]);
    expect(await built().query('select * from main.star_renamed order by 1 limit 2')).toEqual([
      { order_order_id_v: 1, order_amount_v: '10.00' },
      { order_order_id_v: 2, order_amount_v: '20.00' },
    ]);
  });

  it('pivot makes one aggregated column per value, with prefix, suffix, agg and then/else values', async () => {
    expect((await columnsOf('pivot_orders')).map((c) => c.column_name)).toEqual([
      'order_date',
      'n_placed',
      'n_shipped',
      'n_cancelled',
      'placed_max_amount',
    ]);
    expect(
      await built().query(
        'select order_date, n_placed::int as n_placed, n_shipped::int as n_shipped, n_cancelled::int as n_cancelled, placed_max_amount from main.pivot_orders order by 1',
      ),
    ).toEqual([
      { order_date: '2024-01-01', n_placed: 2, n_shipped: 1, n_cancelled: 0, placed_max_amount: '20.00' },
      { order_date: '2024-01-02', n_placed: 1, n_shipped: 1, n_cancelled: 1, placed_max_amount: '7.50' },
    ]);
  });

  it('get_column_values reads the values from the warehouse: by count, ordered, limited, filtered, defaulted', async () => {
    expect(
      await built().query('select call_name, returned_values from main.column_values order by call_name'),
    ).toEqual([
      { call_name: 'by_count', returned_values: 'placed,shipped,cancelled' },
      { call_name: 'by_name', returned_values: 'cancelled,placed,shipped' },
      { call_name: 'last_ids', returned_values: '6,5' },
      { call_name: 'none_found', returned_values: 'nothing' },
      { call_name: 'not_placed', returned_values: 'shipped,cancelled' },
      { call_name: 'top_one', returned_values: 'placed' },
    ]);
    // fed to pivot, the values become the columns, in the order get_column_values returned them
    expect((await columnsOf('pivot_statuses')).map((c) => c.column_name)).toEqual([
      'cancelled',
      'placed',
      'shipped',
    ]);
    expect(
      await built().query(
        'select cancelled::int as cancelled, placed::int as placed, shipped::int as shipped from main.pivot_statuses',
      ),
    ).toEqual([{ cancelled: 1, placed: 3, shipped: 2 }]);
  });

  it('union_relations unions over the superset of columns, with the source relation, exclude and nulls', async () => {
    expect(await columnsOf('unioned_events')).toEqual([
      { column_name: '_dbt_source_relation', data_type: 'VARCHAR' },
      { column_name: 'event_id', data_type: 'INTEGER' },
      { column_name: 'event_kind', data_type: 'VARCHAR' },
      { column_name: 'page_path', data_type: 'VARCHAR' },
      { column_name: 'screen_name', data_type: 'VARCHAR' },
    ]);
    expect(await built().query('select * from main.unioned_events order by event_id')).toEqual([
      {
        _dbt_source_relation: '"wh"."main"."union_web"',
        event_id: 1,
        event_kind: 'click',
        page_path: '/home',
        screen_name: null,
      },
      {
        _dbt_source_relation: '"wh"."main"."union_web"',
        event_id: 2,
        event_kind: 'view',
        page_path: '/cart',
        screen_name: null,
      },
      {
        _dbt_source_relation: '"wh"."main"."union_app"',
        event_id: 3,
        event_kind: 'tap',
        page_path: null,
        screen_name: 'home',
      },
    ]);
  });

  it('union_relations with include, a column override, a where and no source column', async () => {
    expect(await columnsOf('unioned_ids')).toEqual([{ column_name: 'event_id', data_type: 'VARCHAR' }]);
    expect(await built().query('select event_id from main.unioned_ids order by event_id')).toEqual([
      { event_id: '1' },
      { event_id: '3' },
    ]);
  });
});
