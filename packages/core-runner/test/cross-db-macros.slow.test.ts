import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlCompiler } from '../src/index.js';
import { type Fixture, loadAndRun, loadFixture, writeFixture } from './fixture-project.js';
import { duckdbTarget, postgresTarget, usePostgres, type WarehouseTarget } from './warehouse-targets.js';

/**
 * dbt's cross-database macros (https://docs.getdbt.com/reference/dbt-jinja-functions/cross-database-macros),
 * each rendered through `dbt.<name>` and executed on real DuckDB and real Postgres: the same row on both.
 */
let stopPostgres: () => void = () => undefined;
beforeAll(() => {
  stopPostgres = usePostgres();
});
afterAll(() => stopPostgres());

/** One scalar case: a Jinja expression, how its value is made comparable (as text), the value. */
interface ScalarCase {
  name: string;
  sql: string;
  as: 'date' | 'int' | 'text' | 'timestamp';
  expected: string;
}

const d = (text: string) => `"cast('${text}' as date)"`;
const ts = (text: string) => `"cast('${text}' as timestamp)"`;

const scalarCases: ScalarCase[] = [
  {
    name: 'dateadd_day',
    sql: `{{ dbt.dateadd('day', 3, ${d('2024-01-30')}) }}`,
    as: 'date',
    expected: '2024-02-02',
  },
  {
    name: 'dateadd_negative',
    sql: `{{ dbt.dateadd('day', '-1', ${d('2024-03-01')}) }}`,
    as: 'date',
    expected: '2024-02-29',
  },
  {
    name: 'dateadd_month',
    sql: `{{ dbt.dateadd('month', 1, ${d('2024-01-31')}) }}`,
    as: 'date',
    expected: '2024-02-29',
  },
  {
    name: 'dateadd_quarter',
    sql: `{{ dbt.dateadd('quarter', 1, ${d('2024-01-15')}) }}`,
    as: 'date',
    expected: '2024-04-15',
  },
  {
    name: 'dateadd_year',
    sql: `{{ dbt.dateadd('year', 2, ${d('2024-02-29')}) }}`,
    as: 'date',
    expected: '2026-02-28',
  },
  {
    name: 'dateadd_hour',
    sql: `{{ dbt.dateadd('hour', 25, ${ts('2024-01-01 00:30:00')}) }}`,
    as: 'timestamp',
    expected: '2024-01-02 01:30:00',
  },
  {
    name: 'dateadd_unqualified',
    sql: `{{ dateadd('week', 1, ${d('2024-01-01')}) }}`,
    as: 'date',
    expected: '2024-01-08',
  },
  {
    name: 'datediff_day',
    sql: `{{ dbt.datediff(${d('2024-01-31')}, ${d('2024-03-01')}, 'day') }}`,
    as: 'int',
    expected: '30',
  },
  {
    name: 'datediff_month',
    sql: `{{ dbt.datediff(${d('2024-01-31')}, ${d('2024-02-01')}, 'month') }}`,
    as: 'int',
    expected: '1',
  },
  {
    name: 'datediff_month_back',
    sql: `{{ dbt.datediff(${d('2024-03-01')}, ${d('2023-12-31')}, 'month') }}`,
    as: 'int',
    expected: '-3',
  },
  {
    name: 'datediff_quarter',
    sql: `{{ dbt.datediff(${d('2023-12-31')}, ${d('2024-04-01')}, 'quarter') }}`,
    as: 'int',
    expected: '2',
  },
  {
    name: 'datediff_year',
    sql: `{{ dbt.datediff(${d('2023-12-31')}, ${d('2024-01-01')}, 'year') }}`,
    as: 'int',
    expected: '1',
  },
  // Saturday → Sunday crosses a week boundary; Sunday → Saturday of the same week does not.
  {
    name: 'datediff_week_cross',
    sql: `{{ dbt.datediff(${d('2024-01-06')}, ${d('2024-01-07')}, 'week') }}`,
    as: 'int',
    expected: '1',
  },
  {
    name: 'datediff_week_same',
    sql: `{{ dbt.datediff(${d('2024-01-07')}, ${d('2024-01-13')}, 'week') }}`,
    as: 'int',
    expected: '0',
  },
  {
    name: 'datediff_week_many',
    sql: `{{ dbt.datediff(${d('2024-01-03')}, ${d('2024-02-01')}, 'week') }}`,
    as: 'int',
    expected: '4',
  },
  {
    name: 'datediff_hour',
    sql: `{{ dbt.datediff(${ts('2024-01-01 23:59:00')}, ${ts('2024-01-02 00:01:00')}, 'hour') }}`,
    as: 'int',
    expected: '1',
  },
  {
    name: 'datediff_minute',
    sql: `{{ dbt.datediff(${ts('2024-01-01 10:00:59')}, ${ts('2024-01-01 10:02:00')}, 'minute') }}`,
    as: 'int',
    expected: '2',
  },
  {
    name: 'datediff_second',
    sql: `{{ dbt.datediff(${ts('2024-01-01 10:00:59')}, ${ts('2024-01-01 10:02:00')}, 'second') }}`,
    as: 'int',
    expected: '61',
  },
  {
    name: 'datediff_unqualified',
    sql: `{{ datediff(${d('2024-01-01')}, ${d('2024-01-11')}, 'day') }}`,
    as: 'int',
    expected: '10',
  },
  {
    name: 'date_trunc_month',
    sql: `{{ dbt.date_trunc('month', ${d('2024-02-10')}) }}`,
    as: 'date',
    expected: '2024-02-01',
  },
  {
    name: 'date_trunc_quarter',
    sql: `{{ dbt.date_trunc('quarter', ${d('2024-05-10')}) }}`,
    as: 'date',
    expected: '2024-04-01',
  },
  {
    name: 'date_trunc_hour',
    sql: `{{ dbt.date_trunc('hour', ${ts('2024-05-10 13:45:12')}) }}`,
    as: 'timestamp',
    expected: '2024-05-10 13:00:00',
  },
  {
    name: 'last_day_month',
    sql: `{{ dbt.last_day(${d('2024-02-10')}, 'month') }}`,
    as: 'date',
    expected: '2024-02-29',
  },
  {
    name: 'last_day_quarter',
    sql: `{{ dbt.last_day(${d('2024-02-10')}, 'quarter') }}`,
    as: 'date',
    expected: '2024-03-31',
  },
  {
    name: 'last_day_year',
    sql: `{{ dbt.last_day(${d('2024-02-10')}, 'year') }}`,
    as: 'date',
    expected: '2024-12-31',
  },
  {
    name: 'current_timestamp',
    sql: `{{ dbt.current_timestamp() }} > cast('2024-01-01' as timestamp)`,
    as: 'text',
    expected: 'true',
  },
  { name: 'safe_cast', sql: `{{ dbt.safe_cast("'42'", dbt.type_int()) }} + 1`, as: 'int', expected: '43' },
  { name: 'type_string', sql: `cast(12 as {{ dbt.type_string() }}) || 'x'`, as: 'text', expected: '12x' },
  { name: 'type_int', sql: `cast('7' as {{ dbt.type_int() }}) * 6`, as: 'int', expected: '42' },
  {
    name: 'type_bigint',
    sql: `cast('9000000000' as {{ dbt.type_bigint() }}) + 1`,
    as: 'text',
    expected: '9000000001',
  },
  { name: 'type_float', sql: `cast('1.25' as {{ dbt.type_float() }}) * 2`, as: 'text', expected: '2.5' },
  { name: 'type_numeric', sql: `cast('1.5' as {{ dbt.type_numeric() }})`, as: 'text', expected: '1.500000' },
  {
    name: 'type_timestamp',
    sql: `cast('2024-01-02 03:04:05' as {{ dbt.type_timestamp() }})`,
    as: 'timestamp',
    expected: '2024-01-02 03:04:05',
  },
  { name: 'type_boolean', sql: `cast('true' as {{ dbt.type_boolean() }})`, as: 'text', expected: 'true' },
  { name: 'hash', sql: `{{ dbt.hash("'abc'") }}`, as: 'text', expected: '900150983cd24fb0d6963f7d28e17f72' },
  { name: 'concat', sql: `{{ dbt.concat(["'a'", "'b'", "'c'"]) }}`, as: 'text', expected: 'abc' },
  { name: 'cast_bool_to_text', sql: `{{ dbt.cast_bool_to_text('1 = 1') }}`, as: 'text', expected: 'true' },
  { name: 'split_part', sql: `{{ dbt.split_part("'a-b-c'", "'-'", 2) }}`, as: 'text', expected: 'b' },
  {
    name: 'split_part_negative',
    sql: `{{ dbt.split_part("'a--b--c'", "'--'", -1) }}`,
    as: 'text',
    expected: 'c',
  },
  { name: 'split_part_unqualified', sql: `{{ split_part("'x.y'", "'.'", 1) }}`, as: 'text', expected: 'x' },
  { name: 'position', sql: `{{ dbt.position("'c'", "'abcd'") }}`, as: 'int', expected: '3' },
  { name: 'replace', sql: `{{ dbt.replace("'abcb'", "'b'", "'x'") }}`, as: 'text', expected: 'axcx' },
  { name: 'right', sql: `{{ dbt.right("'abcdef'", 2) }}`, as: 'text', expected: 'ef' },
  { name: 'length', sql: `{{ dbt.length("'abcd'") }}`, as: 'int', expected: '4' },
  {
    name: 'escape_single_quotes',
    sql: `'{{ dbt.escape_single_quotes("it's") }}'`,
    as: 'text',
    expected: "it's",
  },
  { name: 'string_literal', sql: `{{ dbt.string_literal('hello') }}`, as: 'text', expected: 'hello' },
  {
    name: 'array_construct',
    sql: `array_to_string({{ dbt.array_construct(['1', '2']) }}, ',')`,
    as: 'text',
    expected: '1,2',
  },
  {
    name: 'array_construct_empty',
    sql: `array_length({{ dbt.array_construct([]) }}, 1) is null or array_length({{ dbt.array_construct([]) }}, 1) = 0`,
    as: 'text',
    expected: 'true',
  },
  {
    name: 'array_append',
    sql: `array_to_string({{ dbt.array_append(dbt.array_construct(['1', '2']), '3') }}, ',')`,
    as: 'text',
    expected: '1,2,3',
  },
  {
    name: 'array_concat',
    sql: `array_to_string({{ dbt.array_concat(dbt.array_construct(['1']), dbt.array_construct(['2', '3'])) }}, ',')`,
    as: 'text',
    expected: '1,2,3',
  },
];

const comparable = (c: ScalarCase): string => {
  const value = `(${c.sql})`;
  if (c.as === 'date') return `cast(cast(${value} as date) as text)`;
  if (c.as === 'timestamp') return `cast(cast(${value} as timestamp) as text)`;
  if (c.as === 'int') return `cast(cast(${value} as bigint) as text)`;
  return `cast(${value} as text)`;
};

const scalarsModel = `{{ config(materialized='table') }}
${scalarCases.map((c) => `select '${c.name}' as name, ${comparable(c)} as v`).join('\nunion all\n')}
`;

const aggregatesModel = `{{ config(materialized='table') }}
with items as (
    select 1 as g, 'b' as x, true as f
    union all select 1, 'a', false
    union all select 1, 'c', false
    union all select 2, 'z', false
)

select
    g,
    {{ dbt.listagg('x', "','", 'order by x') }} as all_x,
    {{ dbt.listagg('x', "'|'", 'order by x desc', 2) }} as first_two,
    {{ listagg('x') }} is not null as listagg_default_delimiter,
    cast({{ dbt.bool_or('f') }} as {{ dbt.type_string() }}) as any_f,
    {{ dbt.any_value('g') }} as same_g
from items
group by g
`;

const setsModel = `{{ config(materialized='table') }}
select 'except' as op, n from (
    select n from (select 1 as n union all select 2) as a
    {{ dbt.except() }}
    select n from (select 2 as n) as b
) as e
union all
select 'intersect', n from (
    select n from (select 1 as n union all select 2) as a
    {{ dbt.intersect() }}
    select n from (select 2 as n union all select 3) as b
) as i
`;

const seriesModel = `{{ config(materialized='table') }}
select cast(generated_number as integer) as n from ({{ dbt.generate_series(5) }}) as s
`;

const spineModel = `{{ config(materialized='table') }}
{%- set intervals = dbt.get_intervals_between("cast('2024-01-30' as date)", "cast('2024-02-02' as date)", 'day') %}
select cast(date_day as date) as date_day, {{ intervals }} as intervals
from ({{ dbt.date_spine('day', "cast('2024-01-30' as date)", "cast('2024-02-02' as date)") }}) as spine
`;

const monthSpineModel = `{{ config(materialized='table') }}
select cast(date_month as date) as date_month
from ({{ date_spine('month', "cast('2023-11-01' as date)", "cast('2024-03-01' as date)") }}) as spine
`;

function fixtureOn(warehouse: WarehouseTarget): Fixture & { schema: string } {
  const schema = `ssa_${randomBytes(4).toString('hex')}`;
  const fx = writeFixture(
    {
      'models/scalars.sql': scalarsModel,
      'models/aggregates.sql': aggregatesModel,
      'models/sets.sql': setsModel,
      'models/series.sql': seriesModel,
      'models/spine.sql': spineModel,
      'models/month_spine.sql': monthSpineModel,
    },
    { bare: true },
  );
  fx.write({
    'dbt_project.yml': 'name: fixture\nprofile: fixture\n',
    'profiles.yml': `fixture:\n  target: dev\n  outputs:\n    dev:\n${warehouse.output(fx.dir, schema, 2)}`,
  });
  return { ...fx, schema };
}

/** Every relation's rows as text, per adapter. */
const results: Record<string, Record<string, unknown[]>> = {};

describe.each([duckdbTarget, postgresTarget])('dbt cross-database macros on $type', (warehouse) => {
  let fx: Fixture & { schema: string };
  const rows = async (sql: string) => warehouse.query(fx.dir, sql.replaceAll('$s', `"${fx.schema}"`));
  beforeAll(async () => {
    fx = fixtureOn(warehouse);
    const run = await loadAndRun(fx.dir, { command: 'build' });
    const failures = run.results.results.filter((r) => r.status !== 'success');
    expect(failures.map((f) => `${f.uniqueId}: ${f.message}`)).toEqual([]);
    results[warehouse.type] = {};
  });
  afterAll(() => fx.remove());

  it('renders the dispatched implementation for the adapter', async () => {
    const project = await loadFixture(fx.dir);
    const compiled = new SqlCompiler(project).compile('model.fixture.scalars');
    // DuckDB's own safe cast; Postgres has none and casts.
    expect(compiled).toContain(warehouse.type === 'duckdb' ? "try_cast('42' as int)" : "cast('42' as int)");
    const aggregates = new SqlCompiler(project).compile('model.fixture.aggregates');
    expect(aggregates).toContain(warehouse.type === 'duckdb' ? 'arbitrary(g)' : 'min(g)');
  });

  it.each(scalarCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const found = await rows(`select v from $s.scalars where name = '${c.name}'`);
    expect(found).toEqual([{ v: c.expected }]);
    (results[warehouse.type] as Record<string, unknown[]>)[c.name] = found;
  });

  it('listagg (with order and limit), bool_or and any_value', async () => {
    const found = await rows(
      'select g, all_x, first_two, cast(listagg_default_delimiter as text) as d, any_f, same_g from $s.aggregates order by g',
    );
    expect(found).toEqual([
      { g: 1, all_x: 'a,b,c', first_two: 'c|b', d: 'true', any_f: 'true', same_g: 1 },
      { g: 2, all_x: 'z', first_two: 'z', d: 'true', any_f: 'false', same_g: 2 },
    ]);
  });

  it('except and intersect', async () => {
    expect(await rows('select op, n from $s.sets order by op, n')).toEqual([
      { op: 'except', n: 1 },
      { op: 'intersect', n: 2 },
    ]);
  });

  it('generate_series, get_intervals_between and date_spine', async () => {
    expect(await rows('select n from $s.series order by n')).toEqual([1, 2, 3, 4, 5].map((n) => ({ n })));
    const spine = await rows('select cast(date_day as text) as day, intervals from $s.spine order by 1');
    expect(spine).toEqual(['2024-01-30', '2024-01-31', '2024-02-01'].map((day) => ({ day, intervals: 3 })));
    const months = await rows('select cast(date_month as text) as month from $s.month_spine order by 1');
    expect(months.map((m) => m.month)).toEqual(['2023-11-01', '2023-12-01', '2024-01-01', '2024-02-01']);
  });
});

describe('DuckDB and Postgres', () => {
  it('give the same value for every scalar macro', () => {
    expect(Object.keys(results.duckdb ?? {})).toHaveLength(scalarCases.length);
    expect(results.postgres).toEqual(results.duckdb);
  });
});
