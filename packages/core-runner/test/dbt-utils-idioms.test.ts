import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

// Idioms dbt_utils' macros rely on, written afresh for these tests: a date spine started from a
// quoted literal, set() of column names compared whatever their order, a relation joined into
// an error message with `~` (dbt prints its name).
const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

async function run(files: Record<string, string>) {
  const fx = writeFixture(files);
  fixtures.push(fx);
  const outcome = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
  const message = (name: string) =>
    outcome.results.results.find((r) => r.uniqueId === `model.fixture.${name}`)?.message ?? '';
  return { fx, ...outcome, message };
}

describe('dbt_utils idioms', () => {
  it('dbt.dateadd from a quoted date literal on DuckDB (a string literal plus an interval is ambiguous there)', async () => {
    const { fx, status, message } = await run({
      'models/days.sql': [
        "select {{ dbt.dateadd('day', 'n', \"'2018-01-30'\") }} as day_at,",
        "  {{ dbt.dateadd('month', 1, \"'2018-01-31'\") }} as month_later",
        'from range(2) as t(n)',
        '',
      ].join('\n'),
    });
    expect({ status: status.days, message: message('days') }).toEqual({
      status: 'success',
      message: 'view created',
    });
    expect(
      await queryWarehouse(
        fx.warehouse,
        'select cast(day_at as varchar) as day_at, cast(month_later as varchar) as month_later, typeof(day_at) as t from main.days order by day_at',
      ),
    ).toEqual([
      { day_at: '2018-01-30 00:00:00', month_later: '2018-02-28 00:00:00', t: 'TIMESTAMP' },
      { day_at: '2018-01-31 00:00:00', month_later: '2018-02-28 00:00:00', t: 'TIMESTAMP' },
    ]);
  });

  it('set() of the same values in another order is equal; of other values it is not', async () => {
    const { fx } = await run({
      'models/sets.sql': [
        "select {{ set(['b', 'a', 'b']) == set(['a', 'b']) }} as same,",
        "  {{ set(['a', 'c']) != set(['a', 'b']) }} as different,",
        '  {{ set([3, 1, 3, 2]) | length }} as distinct_count,',
        "  {{ 'a' in set(['b', 'a']) }} as contains",
        '',
      ].join('\n'),
    });
    expect(await queryWarehouse(fx.warehouse, 'select * from main.sets')).toEqual([
      { same: true, different: true, distinct_count: 3, contains: true },
    ]);
  });

  it('a relation joined into a raised error reads as its name', async () => {
    const { status, message } = await run({
      'models/base.sql': 'select 1 as id\n',
      'models/checked.sql': [
        "{% set other = ref('base') %}",
        '{% if execute %}{{ exceptions.raise_compiler_error(other ~ " has fewer columns") }}{% endif %}',
        'select 1 as id',
        '',
      ].join('\n'),
    });
    expect(status.checked).toBe('error');
    expect(message('checked')).toContain('"main"."base" has fewer columns');
    expect(message('checked')).not.toContain('__relation__');
  });
});
