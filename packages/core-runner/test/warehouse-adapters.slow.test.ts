import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus, executeRun, openWarehouse } from '../src/index.js';
import { type Fixture, loadAndRun, loadFixture, writeFixture } from './fixture-project.js';
import { duckdbTarget, postgresTarget, usePostgres, type WarehouseTarget } from './warehouse-targets.js';

/**
 * The engine's features on every adapter, from one suite: materializations, incremental
 * strategies, snapshots, seeds, tests, atomic failure, the lock and bad connections.
 */
let stopPostgres: () => void = () => undefined;
beforeAll(() => {
  stopPostgres = usePostgres();
});
afterAll(() => stopPostgres());

function fixtureOn(
  warehouse: WarehouseTarget,
  files: Record<string, string>,
  threads = 2,
): Fixture & { schema: string } {
  const schema = `ssa_${randomBytes(4).toString('hex')}`;
  const fx = writeFixture({ ...files }, { bare: true });
  fx.write({
    'dbt_project.yml': 'name: fixture\nprofile: fixture\n',
    'profiles.yml': `fixture:\n  target: dev\n  outputs:\n    dev:\n${warehouse.output(fx.dir, schema, threads)}`,
  });
  return { ...fx, schema };
}

const seedCsv =
  'id,region,amount,sold_on\n1,north,10.50,2024-01-01\n2,"south, east",20.25,2024-01-02\n3,west,,2024-01-03\n';

describe.each([duckdbTarget, postgresTarget])('the engine on $type', (warehouse) => {
  const fixtures: Fixture[] = [];
  afterAll(() => {
    for (const fx of fixtures) fx.remove();
  });
  const fixture = (files: Record<string, string>, threads?: number) => {
    const fx = fixtureOn(warehouse, files, threads);
    fixtures.push(fx);
    return fx;
  };

  it('builds seeds, views, tables and ephemerals, and runs their tests', async () => {
    const fx = fixture({
      'seeds/sales.csv': seedCsv,
      'models/stg_sales.sql':
        "{{ config(materialized='ephemeral') }}\nselect id, region, amount from {{ ref('sales') }}",
      'models/sales_view.sql': "select * from {{ ref('stg_sales') }}",
      'models/sales_by_region.sql':
        "{{ config(materialized='table') }}\nselect region, count(*) as orders, sum(amount) as amount from {{ ref('sales_view') }} group by region",
      'models/schema.yml': [
        'version: 2',
        'models:',
        '  - name: sales_by_region',
        '    columns:',
        '      - name: region',
        '        data_tests: [unique, not_null]',
        '      - name: orders',
        '        data_tests:',
        '          - accepted_values:',
        '              values: [1]',
        '              quote: false',
      ].join('\n'),
    });
    const { results, status } = await loadAndRun(fx.dir, { command: 'build', writeArtifacts: false });
    expect(results.success).toBe(true);
    expect(status).toMatchObject({ sales: 'success', sales_view: 'success', sales_by_region: 'success' });
    expect(Object.values(status).filter((s) => s === 'pass')).toHaveLength(3);
    const rows = await warehouse.query(
      fx.dir,
      `select region, orders, amount from "${fx.schema}"."sales_by_region" order by region`,
    );
    expect(rows).toEqual([
      { region: 'north', orders: 1, amount: 10.5 },
      { region: 'south, east', orders: 1, amount: 20.25 },
      { region: 'west', orders: 1, amount: null },
    ]);
    const kinds = await warehouse.query(
      fx.dir,
      `select table_name, table_type from information_schema.tables where table_schema = '${fx.schema}' order by 1`,
    );
    expect(kinds.map((k) => `${k.table_name}:${k.table_type}`)).toEqual([
      'sales:BASE TABLE',
      'sales_by_region:BASE TABLE',
      'sales_view:VIEW',
    ]);
  });

  it('runs incremental append, merge and delete+insert with a composite key and on_schema_change', async () => {
    const source = (rows: string) => `select * from (values ${rows}) as t(id, part, v)`;
    const models = (rows: string, extra = '') => ({
      'models/appended.sql': `{{ config(materialized='incremental') }}\n${source(rows)}\n{% if is_incremental() %} where id > (select max(id) from {{ this }}) {% endif %}`,
      'models/merged.sql': `{{ config(materialized='incremental', unique_key=['id', 'part'], on_schema_change='append_new_columns') }}\nselect *${extra} from (${source(rows)}) as s`,
      'models/replaced.sql': `{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key=['id', 'part'], incremental_predicates=["DBT_INTERNAL_DEST.part <> 'z'"]) }}\n${source(rows)}`,
    });
    const fx = fixture(models("(1, 'a', 10), (2, 'a', 20)"));
    expect((await loadAndRun(fx.dir, { command: 'run', writeArtifacts: false })).results.success).toBe(true);
    fx.write(models("(1, 'a', 10), (2, 'a', 21), (3, 'b', 30)", ", 'new' as note"));
    const second = await loadAndRun(fx.dir, { command: 'run', writeArtifacts: false });
    expect(second.results.success).toBe(true);
    const read = (name: string, columns = 'id, part, v') =>
      warehouse.query(fx.dir, `select ${columns} from "${fx.schema}"."${name}" order by id`);
    expect(await read('appended')).toEqual([
      { id: 1, part: 'a', v: 10 },
      { id: 2, part: 'a', v: 20 },
      { id: 3, part: 'b', v: 30 },
    ]);
    expect(await read('merged', 'id, part, v, note')).toEqual([
      { id: 1, part: 'a', v: 10, note: 'new' },
      { id: 2, part: 'a', v: 21, note: 'new' },
      { id: 3, part: 'b', v: 30, note: 'new' },
    ]);
    expect(await read('replaced')).toEqual([
      { id: 1, part: 'a', v: 10 },
      { id: 2, part: 'a', v: 21 },
      { id: 3, part: 'b', v: 30 },
    ]);
  });

  it('snapshots changes as new versions and closes the old ones', async () => {
    const snapshot = (rows: string) => ({
      'snapshots/customers_snapshot.sql': `{% snapshot customers_snapshot %}\n{{ config(target_schema=target.schema, unique_key='id', strategy='timestamp', updated_at='updated_at') }}\nselect * from (values ${rows}) as t(id, name, updated_at)\n{% endsnapshot %}`,
    });
    const fx = fixture(
      snapshot("(1, 'ann', cast('2024-01-01' as timestamp)), (2, 'bob', cast('2024-01-01' as timestamp))"),
    );
    expect((await loadAndRun(fx.dir, { command: 'snapshot', writeArtifacts: false })).results.success).toBe(
      true,
    );
    fx.write(
      snapshot("(1, 'ann', cast('2024-01-01' as timestamp)), (2, 'bobby', cast('2024-02-01' as timestamp))"),
    );
    expect((await loadAndRun(fx.dir, { command: 'snapshot', writeArtifacts: false })).results.success).toBe(
      true,
    );
    const rows = await warehouse.query(
      fx.dir,
      `select id, name, dbt_valid_to is null as is_current from "${fx.schema}"."customers_snapshot" order by id, dbt_valid_from`,
    );
    expect(rows).toEqual([
      { id: 1, name: 'ann', is_current: true },
      { id: 2, name: 'bob', is_current: false },
      { id: 2, name: 'bobby', is_current: true },
    ]);
  });

  it('leaves the previous relation intact when a model fails, and skips its children', async () => {
    const fx = fixture({
      'models/parent.sql': "{{ config(materialized='table') }}\nselect 1 as id",
      'models/child.sql': "select * from {{ ref('parent') }}",
    });
    expect((await loadAndRun(fx.dir, { command: 'run', writeArtifacts: false })).results.success).toBe(true);
    fx.write({ 'models/parent.sql': "{{ config(materialized='table') }}\nselect 2 as id, no_such_column" });
    const failed = await loadAndRun(fx.dir, { command: 'run', writeArtifacts: false });
    expect(failed.status).toEqual({ parent: 'error', child: 'skipped' });
    expect(failed.results.results[0]?.message).toMatch(/no_such_column/);
    expect(await warehouse.query(fx.dir, `select id from "${fx.schema}"."parent"`)).toEqual([{ id: 1 }]);
  });

  it('cancels a running model when the run is interrupted, keeping the previous table', async () => {
    const slow =
      warehouse.type === 'postgres'
        ? 'select 2 as id from (select pg_sleep(30)) as slept'
        : 'select 2 as id from (select sum(hash(range)) from range(50000000000)) as s';
    const fx = fixture({ 'models/parent.sql': "{{ config(materialized='table') }}\nselect 1 as id" });
    expect((await loadAndRun(fx.dir, { command: 'run', writeArtifacts: false })).results.success).toBe(true);
    fx.write({ 'models/parent.sql': `{{ config(materialized='table') }}\n${slow}` });
    const project = await loadFixture(fx.dir);
    const controller = new AbortController();
    const bus = new EventBus((event) => {
      if (event.kind === 'node_started') setTimeout(() => controller.abort(), 700);
    });
    const started = performance.now();
    const results = await executeRun(project, {
      command: 'run',
      events: bus,
      signal: controller.signal,
      writeArtifacts: false,
    });
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(results.results[0]?.status).toBe('cancelled');
    expect(await warehouse.query(fx.dir, `select id from "${fx.schema}"."parent"`)).toEqual([{ id: 1 }]);
  });

  it('runs unit tests, hooks, run_query and get_columns_in_relation, and reads the catalog', async () => {
    const fx = fixture({
      'models/base.sql':
        "{{ config(materialized='table', post_hook='create table {{ this.schema }}.hooked as select 1 as ran') }}\nselect 1 as id, 'a' as label",
      'models/described.sql': [
        "-- depends_on: {{ ref('base') }}",
        "{% set n = run_query('select count(*) as n from ' ~ ref('base')).columns[0].values()[0] if execute else 0 %}",
        '{% set cols = adapter.get_columns_in_relation(ref("base")) | map(attribute="name") | join("_") if execute else "" %}',
        "select {{ n }} as n, '{{ cols }}' as cols",
      ].join('\n'),
      'models/doubled.sql': "select id * 2 as id2 from {{ ref('base') }}",
      'models/unit.yml': [
        'version: 2',
        'unit_tests:',
        '  - name: doubles_ids',
        '    model: doubled',
        '    given:',
        "      - input: ref('base')",
        '        rows: [{id: 2}, {id: 5}]',
        '    expect:',
        '      rows: [{id2: 4}, {id2: 10}]',
      ].join('\n'),
    });
    const { results, status } = await loadAndRun(fx.dir, { command: 'build', writeArtifacts: false });
    expect(results.results.filter((r) => r.status === 'error').map((r) => r.message)).toEqual([]);
    expect(results.success).toBe(true);
    expect(status.doubles_ids).toBe('pass');
    expect(await warehouse.query(fx.dir, `select n, cols from "${fx.schema}"."described"`)).toEqual([
      { n: 1, cols: 'id_label' },
    ]);
    expect(await warehouse.query(fx.dir, `select ran from "${fx.schema}"."hooked"`)).toEqual([{ ran: 1 }]);
    const project = await loadFixture(fx.dir);
    const adapter = await openWarehouse(project.target, { threads: 1, command: 'docs generate' });
    try {
      const catalog = await adapter.catalog([fx.schema]);
      const base = catalog.find((r) => r.name === 'base');
      expect(base?.kind).toBe('table');
      expect(base?.columns.map((c) => c.name)).toEqual(['id', 'label']);
      expect(catalog.find((r) => r.name === 'doubled')?.kind).toBe('view');
    } finally {
      await adapter.close();
    }
  });

  it('lets one run at a time hold a target', async () => {
    const fx = fixture({ 'models/a.sql': 'select 1 as x' });
    const project = await loadFixture(fx.dir);
    const first = await openWarehouse(project.target, {
      threads: 1,
      command: 'build',
      invocationId: 'run-one',
    });
    try {
      // A second process is told who holds it; DuckDB's file lock also refuses this same process.
      const held =
        warehouse.type === 'postgres' ? /is in use by run run-one \(build\) since \d{4}-/ : /since \d{4}-/;
      await expect(openWarehouse(project.target, { threads: 1, command: 'run' })).rejects.toMatchObject({
        code: expect.stringMatching(/^SSA-LOCK-00[12]$/),
        message: expect.stringMatching(held),
      });
    } finally {
      await first.close();
    }
    const again = await openWarehouse(project.target, { threads: 1, command: 'run' });
    await again.close();
  });
});

describe('a Postgres target that cannot be reached', () => {
  const attempt = async (output: string) => {
    const fx = writeFixture({}, { bare: true });
    fx.write({
      'dbt_project.yml': 'name: fixture\nprofile: fixture\n',
      'profiles.yml': `fixture:\n  target: pg\n  outputs:\n    pg:\n${output}`,
      'models/a.sql': 'select 1 as x',
    });
    try {
      const project = await loadFixture(fx.dir);
      return await openWarehouse(project.target, { threads: 1, command: 'run' }).then(
        async (adapter) => {
          await adapter.close();
          return undefined;
        },
        (error: Error & { code?: string; stack?: string }) => error,
      );
    } finally {
      fx.remove();
    }
  };
  const output = (overrides: Record<string, string>) =>
    Object.entries({
      type: 'postgres',
      host: `"{{ env_var('PGHOST') }}"`,
      port: `"{{ env_var('PGPORT', '5432') | int }}"`,
      user: `"{{ env_var('PGUSER') }}"`,
      password: `"{{ env_var('PGPASSWORD', '') }}"`,
      dbname: `"{{ env_var('PGDATABASE') }}"`,
      schema: 'ssa_unreachable',
      ...overrides,
    })
      .map(([k, v]) => `      ${k}: ${v}\n`)
      .join('');

  it.each([
    [
      'a refused connection',
      { port: '1' },
      /cannot connect to target 'pg' \(postgres:\/\/.*:1\/.*\): connection refused/,
    ],
    ['a bad password', { password: 'wrong-password' }, /target 'pg'.*password authentication failed/],
    ['a missing database', { dbname: 'no_such_database' }, /target 'pg'.*database does not exist/],
  ])('reports %s in one line naming the target', async (_what, overrides, message) => {
    const error = await attempt(output(overrides));
    expect(error?.message).toMatch(message);
    expect(error?.code).toBe('SSA-WAREHOUSE-010');
    expect(error?.message).not.toMatch(/\n|at .*\.js/);
  });

  it('reports a connection dropped mid-run as lost, naming the target', async () => {
    const fx = fixtureOn(postgresTarget, {
      'models/slow.sql':
        "{{ config(materialized='table') }}\nselect 1 as x from (select pg_sleep(5)) as slept",
    });
    try {
      const project = await loadFixture(fx.dir);
      const killer = setTimeout(() => {
        void postgresTarget.query(
          fx.dir,
          "select pg_terminate_backend(pid) from pg_stat_activity where query like '%pg_sleep(5)%' and pid <> pg_backend_pid()",
        );
      }, 1500);
      const { runFixture } = await import('./fixture-project.js');
      const outcome = await runFixture(project, { command: 'run', writeArtifacts: false });
      clearTimeout(killer);
      expect(outcome.status.slow).toBe('error');
      expect(outcome.results.results[0]?.message).toMatch(/lost the connection to target 'dev'/);
    } finally {
      fx.remove();
    }
  });
});
