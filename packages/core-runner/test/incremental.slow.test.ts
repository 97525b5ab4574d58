import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Fixture,
  loadAndRun,
  queryWarehouse,
  type RunOutcome,
  writeFixture,
} from './fixture-project.js';

/** Replaces raw.events (id, day, val) between runs, as an upstream loader would. */
const loadSource = (warehouse: string, rows: string) =>
  queryWarehouse(
    warehouse,
    `create schema if not exists raw; create or replace table raw.events as select id, day::date as day, val from (values ${rows}) t(id, day, val)`,
  );

const src = "{{ source('raw', 'events') }}";
const singleKeyRows = `select id, day, val from ${src} where day <> '2024-01-05'`;
const predicate = `incremental_predicates=["DBT_INTERNAL_DEST.day >= '2024-01-02'"]`;
const schemaModel = (mode: string) =>
  `{{ config(materialized='incremental', unique_key='id', on_schema_change='${mode}') }}
select id, {{ var('cols_${mode}', 'a, b') }}
from (select id, val as a, 1 as b, 'x' as c from ${src} where day <> '2024-01-05')
`;

const files = {
  'models/_sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n',
  'models/inc_append.sql': `{{ config(materialized='incremental') }}
select id, day, val from ${src}
where day <> '2024-01-05'
{% if is_incremental() %}
  and id > (select coalesce(max(id), 0) from {{ this }})
{% endif %}
`,
  'models/inc_merge.sql': `{{ config(materialized='incremental', unique_key='id', incremental_strategy='merge') }}\n${singleKeyRows}\n`,
  'models/inc_delete_insert.sql': `{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert') }}\n${singleKeyRows}\n`,
  'models/inc_composite_merge.sql': `{{ config(materialized='incremental', unique_key=['id', 'day'], incremental_strategy='merge') }}\nselect id, day, val from ${src}\n`,
  'models/inc_composite_delete_insert.sql': `{{ config(materialized='incremental', unique_key=['id', 'day'], incremental_strategy='delete+insert') }}\nselect id, day, val from ${src}\n`,
  'models/inc_predicates_merge.sql': `{{ config(materialized='incremental', unique_key='id', incremental_strategy='merge', ${predicate}) }}\n${singleKeyRows}\n`,
  'models/inc_predicates_delete_insert.sql': `{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert', ${predicate}) }}\n${singleKeyRows}\n`,
  'models/osc_ignore.sql': schemaModel('ignore'),
  'models/osc_append.sql': schemaModel('append_new_columns'),
  'models/osc_sync.sql': schemaModel('sync_all_columns'),
  'models/osc_fail.sql': schemaModel('fail'),
};

const secondVars = {
  cols_ignore: 'a, b, c',
  cols_append_new_columns: 'b, c',
  cols_sync_all_columns: 'b::varchar as b, c',
  cols_fail: 'a, b, c',
};

describe('incremental models', () => {
  let fx: Fixture;
  let first: RunOutcome;
  let second: RunOutcome;
  let afterFirst: Record<string, unknown>[];

  const rows = (model: string, columns = 'id, day::varchar as day, val') =>
    queryWarehouse(fx.warehouse, `select ${columns} from main.${model} order by all`);
  const columnsOf = async (model: string) =>
    (
      await queryWarehouse(
        fx.warehouse,
        `select column_name, data_type from information_schema.columns where table_name = '${model}' order by ordinal_position`,
      )
    ).map((c) => `${c.column_name} ${c.data_type}`);

  beforeAll(async () => {
    fx = writeFixture(files, { name: 'inc' });
    await loadSource(fx.warehouse, `(1, '2024-01-01', 'a1'), (2, '2024-01-02', 'b1')`);
    first = await loadAndRun(fx.dir, { command: 'run' });
    afterFirst = await rows('inc_merge');
    await loadSource(
      fx.warehouse,
      `(1, '2024-01-01', 'a2'), (2, '2024-01-02', 'b2'), (3, '2024-01-03', 'c2'), (1, '2024-01-05', 'a-new-day')`,
    );
    second = await loadAndRun(fx.dir, { command: 'run' }, secondVars);
  });
  afterAll(() => fx.remove());

  it('builds every incremental model as a table on the first run', async () => {
    expect(Object.values(first.status).every((s) => s === 'success')).toBe(true);
    expect(first.results.results).toHaveLength(Object.keys(files).length - 1);
    expect(afterFirst).toEqual([
      { id: 1, day: '2024-01-01', val: 'a1' },
      { id: 2, day: '2024-01-02', val: 'b1' },
    ]);
  });

  it('append inserts only the new rows selected under is_incremental() and {{ this }}', async () => {
    expect(second.status.inc_append).toBe('success');
    expect(await rows('inc_append')).toEqual([
      { id: 1, day: '2024-01-01', val: 'a1' },
      { id: 2, day: '2024-01-02', val: 'b1' },
      { id: 3, day: '2024-01-03', val: 'c2' },
    ]);
  });

  it.each(['inc_merge', 'inc_delete_insert'])(
    '%s updates matching keys and inserts new ones',
    async (model) => {
      expect(second.status[model]).toBe('success');
      expect(await rows(model)).toEqual([
        { id: 1, day: '2024-01-01', val: 'a2' },
        { id: 2, day: '2024-01-02', val: 'b2' },
        { id: 3, day: '2024-01-03', val: 'c2' },
      ]);
    },
  );

  it.each(['inc_composite_merge', 'inc_composite_delete_insert'])(
    '%s matches on every column of a composite unique_key',
    async (model) => {
      expect(second.status[model]).toBe('success');
      expect(await rows(model)).toEqual([
        { id: 1, day: '2024-01-01', val: 'a2' },
        { id: 1, day: '2024-01-05', val: 'a-new-day' },
        { id: 2, day: '2024-01-02', val: 'b2' },
        { id: 3, day: '2024-01-03', val: 'c2' },
      ]);
    },
  );

  it.each(['inc_predicates_merge', 'inc_predicates_delete_insert'])(
    '%s leaves target rows outside incremental_predicates alone',
    async (model) => {
      expect(second.status[model]).toBe('success');
      // id 1's target row is before the predicate window: it is not matched, so the new version is added beside it.
      expect(await rows(model)).toEqual([
        { id: 1, day: '2024-01-01', val: 'a1' },
        { id: 1, day: '2024-01-01', val: 'a2' },
        { id: 2, day: '2024-01-02', val: 'b2' },
        { id: 3, day: '2024-01-03', val: 'c2' },
      ]);
    },
  );

  it("on_schema_change 'ignore' keeps the table's columns and still loads the rows", async () => {
    expect(second.status.osc_ignore).toBe('success');
    expect(await columnsOf('osc_ignore')).toEqual(['id INTEGER', 'a VARCHAR', 'b INTEGER']);
    expect(await rows('osc_ignore', 'id, a, b')).toEqual([
      { id: 1, a: 'a2', b: 1 },
      { id: 2, a: 'b2', b: 1 },
      { id: 3, a: 'c2', b: 1 },
    ]);
  });

  it("on_schema_change 'append_new_columns' adds new columns and keeps removed ones", async () => {
    expect(second.status.osc_append).toBe('success');
    expect(await columnsOf('osc_append')).toEqual(['id INTEGER', 'a VARCHAR', 'b INTEGER', 'c VARCHAR']);
    expect(await rows('osc_append', 'id, a, b, c')).toEqual([
      { id: 1, a: 'a1', b: 1, c: 'x' },
      { id: 2, a: 'b1', b: 1, c: 'x' },
      { id: 3, a: null, b: 1, c: 'x' },
    ]);
  });

  it("on_schema_change 'sync_all_columns' adds, drops and retypes columns", async () => {
    expect(second.status.osc_sync).toBe('success');
    expect(await columnsOf('osc_sync')).toEqual(['id INTEGER', 'b VARCHAR', 'c VARCHAR']);
    expect(await rows('osc_sync', 'id, b, c')).toEqual([
      { id: 1, b: '1', c: 'x' },
      { id: 2, b: '1', c: 'x' },
      { id: 3, b: '1', c: 'x' },
    ]);
  });

  it("on_schema_change 'fail' fails the model, names the change and leaves the table as it was", async () => {
    expect(second.status.osc_fail).toBe('error');
    const result = second.results.results.find((r) => r.uniqueId === 'model.inc.osc_fail');
    expect(result?.error?.code).toBe('SSA-INCR-002');
    expect(result?.message).toContain('c');
    expect(await columnsOf('osc_fail')).toEqual(['id INTEGER', 'a VARCHAR', 'b INTEGER']);
    expect(await rows('osc_fail', 'id, a, b')).toEqual([
      { id: 1, a: 'a1', b: 1 },
      { id: 2, a: 'b1', b: 1 },
    ]);
    expect(second.results.success).toBe(false);
  });

  it('--full-refresh rebuilds from scratch with is_incremental() false and the new columns', async () => {
    const third = await loadAndRun(
      fx.dir,
      { command: 'run', select: ['inc_append', 'osc_ignore', 'osc_fail'], fullRefresh: true },
      secondVars,
    );
    expect(third.status).toEqual({ inc_append: 'success', osc_ignore: 'success', osc_fail: 'success' });
    expect(await rows('inc_append')).toEqual([
      { id: 1, day: '2024-01-01', val: 'a2' },
      { id: 2, day: '2024-01-02', val: 'b2' },
      { id: 3, day: '2024-01-03', val: 'c2' },
    ]);
    expect(await columnsOf('osc_ignore')).toEqual(['id INTEGER', 'a VARCHAR', 'b INTEGER', 'c VARCHAR']);
    expect(await columnsOf('osc_fail')).toEqual(['id INTEGER', 'a VARCHAR', 'b INTEGER', 'c VARCHAR']);
  });
});
