import { afterEach, describe, expect, it } from 'vitest';
import {
  caught,
  type Fixture,
  loadAndRun,
  loadFixture,
  queryWarehouse,
  writeFixture,
} from '../../test/fixture-project.js';
import { showPreview } from './show-task.js';

// dbt show: https://docs.getdbt.com/reference/commands/show
let fx: Fixture | undefined;
afterEach(() => {
  fx?.remove();
  fx = undefined;
});

const FILES = {
  'seeds/people.csv': 'id,name\n1,ann\n2,bob\n3,cy\n4,dee\n5,eve\n6,fay\n7,gus\n',
  'models/stg_people.sql': "select id, upper(name) as name from {{ ref('people') }}\n",
  'models/int_even.sql':
    "{{ config(materialized='ephemeral') }}\nselect * from {{ ref('stg_people') }} where id % 2 = 0\n",
  'models/people_table.sql': "{{ config(materialized='table') }}\nselect * from {{ ref('int_even') }}\n",
  'macros/shout.sql': "{% macro shout(col) %}upper({{ col }}) || '!'{% endmacro %}\n",
};

describe('show', () => {
  it('previews a model: its compiled SQL wrapped in a limit (default 5), columns with types', async () => {
    fx = writeFixture(FILES);
    await loadAndRun(fx.dir, { command: 'build' });
    const project = await loadFixture(fx.dir);
    const [preview] = await showPreview(project, { select: ['stg_people'] });
    expect(preview?.name).toBe('stg_people');
    expect(preview?.rows.length).toBe(5);
    expect(preview?.rows[0]).toEqual({ id: 1, name: 'ANN' });
    expect(preview?.columns).toEqual([
      { name: 'id', dataType: 'INTEGER' },
      { name: 'name', dataType: 'VARCHAR' },
    ]);
    expect(preview?.sql).toMatch(/^select \* from \(\n[\s\S]*\n\) as model_limit_subq limit 5$/);
  });

  it('--limit N and a negative limit (no limit); ephemeral parents are inlined', async () => {
    fx = writeFixture(FILES);
    await loadAndRun(fx.dir, { command: 'build' });
    const project = await loadFixture(fx.dir);
    expect((await showPreview(project, { select: ['stg_people'], limit: 2 }))[0]?.rows.length).toBe(2);
    expect((await showPreview(project, { select: ['stg_people'], limit: -1 }))[0]?.rows.length).toBe(7);
    const [even] = await showPreview(project, { select: ['int_even'], limit: 10 });
    expect(even?.rows.map((r) => r.id)).toEqual([2, 4, 6]);
  });

  it('--inline renders refs and macros and writes nothing', async () => {
    fx = writeFixture(FILES);
    await loadAndRun(fx.dir, { command: 'build' });
    const before = await queryWarehouse(fx.warehouse, 'select count(*) as n from information_schema.tables');
    const project = await loadFixture(fx.dir);
    const [preview] = await showPreview(project, {
      inline: "select {{ shout('name') }} as loud from {{ ref('int_even') }} order by id",
      limit: 2,
    });
    expect(preview?.name).toBe('inline_query');
    expect(preview?.rows).toEqual([{ loud: 'BOB!' }, { loud: 'DEE!' }]);
    const after = await queryWarehouse(fx.warehouse, 'select count(*) as n from information_schema.tables');
    expect(after).toEqual(before);
  });

  it('a model of a table shows its SQL result, not the stored table', async () => {
    fx = writeFixture(FILES);
    await loadAndRun(fx.dir, { command: 'build' });
    // Change what the model would produce without rebuilding it.
    fx.write({ 'models/people_table.sql': "{{ config(materialized='table') }}\nselect 42 as id\n" });
    const project = await loadFixture(fx.dir);
    const [preview] = await showPreview(project, { select: ['people_table'] });
    expect(preview?.rows).toEqual([{ id: 42 }]);
    expect(await queryWarehouse(fx.warehouse, 'select count(*) as n from main.people_table')).toEqual([
      { n: 3 },
    ]);
  });

  it('an incremental model previews as dbt compiles it: is_incremental() once its table exists', async () => {
    fx = writeFixture({
      ...FILES,
      'models/people_inc.sql':
        "{{ config(materialized='incremental') }}\nselect * from {{ ref('stg_people') }}\n{% if is_incremental() %}where id > (select max(id) - 2 from {{ this }}){% endif %}\n",
    });
    await loadAndRun(fx.dir, { command: 'build' });
    const project = await loadFixture(fx.dir);
    const [preview] = await showPreview(project, { select: ['people_inc'], limit: -1 });
    // The table holds ids 1..7: the incremental filter keeps ids above 5.
    expect(preview?.rows.map((r) => r.id)).toEqual([6, 7]);
  });

  it('errors: nothing to show, both or neither of --select and --inline, an unknown ref, bad SQL', async () => {
    fx = writeFixture(FILES);
    await loadAndRun(fx.dir, { command: 'build' });
    const project = await loadFixture(fx.dir);
    expect((await caught(() => showPreview(project, { select: ['nope'] }))).code).toBe('SSA-SHOW-NOTHING');
    expect((await caught(() => showPreview(project, {}))).code).toBe('SSA-SHOW-ARGS');
    expect((await caught(() => showPreview(project, { select: ['a'], inline: 'select 1' }))).code).toBe(
      'SSA-SHOW-ARGS',
    );
    const badRef = await caught(() =>
      showPreview(project, { inline: "select * from {{ ref('stg_peple') }}" }),
    );
    expect(badRef.code).toBe('SSA-REF-404');
    expect(badRef.hint).toBe("did you mean 'stg_people'?");
    const badSql = await caught(() => showPreview(project, { inline: 'select nope from main.stg_people' }));
    expect(badSql.code).toBe('SSA-SQL-001');
  });
});
