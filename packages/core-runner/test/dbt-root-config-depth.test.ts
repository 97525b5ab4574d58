import { afterEach, describe, expect, it } from 'vitest';
import { installPackages } from '../src/index.js';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

// https://docs.getdbt.com/reference/define-configs : in dbt_project.yml the most specific path
// wins. The root's top-level keys also reach its packages' nodes; with a package installed, they
// must not override the root project's own deeper keys.
const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

describe("a root project's config tree, with a package installed", () => {
  it('lets a deeper key win over a top-level one for its own nodes, and still reaches the package', async () => {
    const fx = writeFixture({
      'dbt_project.yml': [
        'name: fixture',
        'profile: fixture',
        'seeds:',
        '  +quote_columns: false',
        '  fixture:',
        '    quoted:',
        '      +quote_columns: true',
        'models:',
        '  +materialized: table',
        '  fixture:',
        '    views:',
        '      +materialized: view',
        '',
      ].join('\n'),
      'packages.yml': 'packages:\n  - local: vendor/extra\n',
      'vendor/extra/dbt_project.yml': 'name: extra\n',
      'vendor/extra/models/from_package.sql': 'select 1 as id\n',
      'seeds/quoted/mixed_case.csv': 'Customer_Id,sTaTuS\n1,active\n',
      'seeds/plain/lowered.csv': 'Customer_Id,sTaTuS\n2,churned\n',
      'models/views/as_view.sql': 'select 1 as id\n',
      'models/as_table.sql': 'select 1 as id\n',
    });
    fixtures.push(fx);
    await installPackages(fx.dir);
    const { results } = await loadAndRun(fx.dir, { command: 'build', threads: 1 });
    expect(results.success).toBe(true);
    const columns = async (table: string) =>
      (
        await queryWarehouse(
          fx.warehouse,
          `select column_name from information_schema.columns where table_name = '${table}' order by ordinal_position`,
        )
      ).map((r) => r.column_name);
    expect(await columns('mixed_case')).toEqual(['Customer_Id', 'sTaTuS']);
    expect(await columns('lowered')).toEqual(['customer_id', 'status']);
    expect(
      await queryWarehouse(
        fx.warehouse,
        "select table_name, table_type from information_schema.tables where table_name in ('as_view', 'as_table', 'from_package') order by table_name",
      ),
    ).toEqual([
      { table_name: 'as_table', table_type: 'BASE TABLE' },
      { table_name: 'as_view', table_type: 'VIEW' },
      { table_name: 'from_package', table_type: 'BASE TABLE' },
    ]);
  });
});
