import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Fixture,
  loadAndRun,
  queryWarehouse,
  type RunOutcome,
  writeFixture,
} from './fixture-project.js';

const audit = (event: string) =>
  `insert into main.audit select '${event}', coalesce(max(seq), 0) + 1 from main.audit`;

const files = {
  'dbt_project.yml': `name: mat
profile: mat
on-run-start:
  - "create schema if not exists raw"
  - "create or replace table raw.items as select * from (values (1, 'a', 5), (2, 'a', 7), (3, 'b', 1)) t(item_id, category, qty)"
  - "create table if not exists main.audit (event varchar, seq integer)"
  - "${audit('start')}"
on-run-end:
  - "${audit('end {{ target.name }}')}"
`,
  'models/_sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: items\n',
  'models/v_items.sql': `select * from {{ source('raw', 'items') }}\n`,
  'models/t_items.sql': `{{ config(
    materialized='table',
    pre_hook="${audit('pre {{ this.identifier }}')}",
    post_hook=["${audit('post')}", "create or replace table main.t_items_count as select count(*) as n from {{ this }}"],
) }}
select * from {{ ref('v_items') }}
`,
  'models/switcher.sql': `{{ config(materialized=var('switch_to', 'view')) }}\nselect item_id from {{ ref('t_items') }}\n`,
  'models/ext_items.sql': `{{ config(materialized='external', location='out/items.parquet') }}\nselect * from {{ ref('t_items') }}\n`,
  'models/ext_by_category.sql': `{{ config(materialized='external', location='out/by_category', partition_by='category') }}\nselect * from {{ ref('t_items') }}\n`,
  'models/after_ext.sql': `{{ config(materialized='table') }}\nselect category, sum(qty) as qty from {{ ref('ext_by_category') }} group by category\n`,
  'models/dyn_max.sql': `{{ config(materialized='table') }}
{% set result = run_query('select max(qty) as m from raw.items') %}
{% if execute %}select {{ result.rows[0][0] }} as max_qty{% else %}select 0 as max_qty{% endif %}
`,
  'models/column_list.sql': `{% set cols = adapter.get_columns_in_relation(ref('t_items')) %}
select '{{ cols | map(attribute="name") | join(",") }}' as names, {{ cols | length }} as n
`,
};

describe('view, table, external, hooks', () => {
  let fx: Fixture;
  let first: RunOutcome;

  beforeAll(async () => {
    fx = writeFixture(files, { name: 'mat' });
    first = await loadAndRun(fx.dir, { command: 'run' });
  });
  afterAll(() => fx.remove());

  const kindOf = async (name: string) =>
    (
      await queryWarehouse(
        fx.warehouse,
        `select table_type from information_schema.tables where table_schema = 'main' and table_name = '${name}'`,
      )
    )[0]?.table_type;

  it('runs every model successfully', () => {
    const names = [
      'after_ext',
      'column_list',
      'dyn_max',
      'ext_by_category',
      'ext_items',
      'switcher',
      't_items',
      'v_items',
    ];
    expect(first.status).toEqual(Object.fromEntries(names.map((name) => [name, 'success'])));
    expect(first.results.success).toBe(true);
  });

  it('creates views and tables with the rows of their SQL', async () => {
    expect(await kindOf('v_items')).toBe('VIEW');
    expect(await kindOf('t_items')).toBe('BASE TABLE');
    expect(
      await queryWarehouse(fx.warehouse, 'select item_id, category, qty from main.t_items order by item_id'),
    ).toEqual([
      { item_id: 1, category: 'a', qty: 5 },
      { item_id: 2, category: 'a', qty: 7 },
      { item_id: 3, category: 'b', qty: 1 },
    ]);
    const tableEvent = first.events.find((e) => e.kind === 'node_finished' && e.name === 't_items');
    expect(tableEvent).toMatchObject({
      status: 'success',
      materialized: 'table',
      relation: 'main.t_items',
      rowsAffected: 3,
    });
  });

  it('runs on-run-start first, pre/post hooks around their model, on-run-end last, rendering Jinja in each', async () => {
    expect(await queryWarehouse(fx.warehouse, 'select event from main.audit order by seq')).toEqual([
      { event: 'start' },
      { event: 'pre t_items' },
      { event: 'post' },
      { event: 'end dev' },
    ]);
    expect(await queryWarehouse(fx.warehouse, 'select n from main.t_items_count')).toEqual([{ n: 3 }]);
    const hooks = first.events
      .filter((e) => e.kind === 'hook_finished')
      .map((e) => (e as { hook: string }).hook);
    expect(hooks).toEqual(['on-run-start', 'on-run-start', 'on-run-start', 'on-run-start', 'on-run-end']);
    const kinds = first.events.map((e) => e.kind);
    expect(kinds.indexOf('hook_finished')).toBeLessThan(kinds.indexOf('node_started'));
    expect(kinds.lastIndexOf('hook_finished')).toBeGreaterThan(kinds.lastIndexOf('node_finished'));
  });

  it('external writes Parquet and a view over it; partition_by writes a Hive-partitioned folder', async () => {
    const single = join(fx.dir, 'out/items.parquet');
    expect(existsSync(single)).toBe(true);
    expect(await queryWarehouse(fx.warehouse, `select count(*) as n from read_parquet('${single}')`)).toEqual(
      [{ n: 3 }],
    );
    expect(await kindOf('ext_items')).toBe('VIEW');
    const folder = join(fx.dir, 'out/by_category');
    expect(readdirSync(folder).sort()).toEqual(['category=a', 'category=b']);
    expect(
      await queryWarehouse(
        fx.warehouse,
        `select category, count(*) as n from read_parquet('${folder}/**/*.parquet', hive_partitioning = true) group by 1 order by 1`,
      ),
    ).toEqual([
      { category: 'a', n: 2 },
      { category: 'b', n: 1 },
    ]);
    expect(await queryWarehouse(fx.warehouse, 'select category, qty from main.after_ext order by 1')).toEqual(
      [
        { category: 'a', qty: 12 },
        { category: 'b', qty: 1 },
      ],
    );
  });

  it('run_query and adapter.get_columns_in_relation answer at execution time', async () => {
    expect(await queryWarehouse(fx.warehouse, 'select max_qty from main.dyn_max')).toEqual([{ max_qty: 7 }]);
    expect(await queryWarehouse(fx.warehouse, 'select names, n from main.column_list')).toEqual([
      { names: 'item_id,category,qty', n: 3 },
    ]);
  });

  it('a second run replaces relations in place, and a view can become a table', async () => {
    expect(await kindOf('switcher')).toBe('VIEW');
    const second = await loadAndRun(
      fx.dir,
      { command: 'run', select: ['switcher', 'ext_by_category'] },
      { switch_to: 'table' },
    );
    expect(second.results.success).toBe(true);
    expect(await kindOf('switcher')).toBe('BASE TABLE');
    expect(await queryWarehouse(fx.warehouse, 'select count(*) as n from main.switcher')).toEqual([{ n: 3 }]);
    expect(readdirSync(join(fx.dir, 'out/by_category')).sort()).toEqual(['category=a', 'category=b']);
    const back = await loadAndRun(fx.dir, { command: 'run', select: ['switcher'] });
    expect(back.results.success).toBe(true);
    expect(await kindOf('switcher')).toBe('VIEW');
  });
});
