import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SqlCompiler } from '../src/index.js';
import {
  type Fixture,
  loadAndRun,
  loadFixture,
  profilesYml,
  queryWarehouse,
  writeFixture,
} from './fixture-project.js';
import { postgresTarget, usePostgres } from './warehouse-targets.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

const fixture = (files: Record<string, string>) => {
  const fx = writeFixture(files);
  fixtures.push(fx);
  return fx;
};

// docs.getdbt.com/reference/dbt-jinja-functions/this and /reference/resource-configs/database: a
// relation is database.schema.identifier, the database the target's unless configured. dbt-duckdb
// (github.com/duckdb/dbt-duckdb, credentials.py) names the database after the file (its stem;
// `memory` in memory) and refuses a profile `database` that differs.
describe('three-part relation names (docs.getdbt.com/reference/dbt-jinja-functions/this)', () => {
  it('this, ref() and source() render "<file stem>"."<schema>"."<identifier>" and run', async () => {
    const fx = fixture({
      'models/_sources.yml':
        'version: 2\nsources:\n  - name: raw\n    schema: main\n    tables:\n      - name: a\n',
      'models/a.sql': "{{ config(materialized='table') }}select 1 as id",
      'models/b.sql':
        "select '{{ this }}' as me, '{{ this.database }}' as db, '{{ ref(\"a\") }}' as upstream, '{{ source(\"raw\", \"a\") }}' as src, (select count(*) from {{ ref('a') }}) as n",
    });
    const { results, project } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(results.success).toBe(true);
    expect(await queryWarehouse(fx.warehouse, 'select * from main.b')).toEqual([
      { me: '"wh"."main"."b"', db: 'wh', upstream: '"wh"."main"."a"', src: '"wh"."main"."a"', n: 1 },
    ]);
    expect(project.manifest.nodes['model.fixture.b']?.relation).toEqual({
      database: 'wh',
      schema: 'main',
      identifier: 'b',
    });
  });

  it('in memory the database is "memory" (dbt-duckdb) and a view on a table builds', async () => {
    const fx = fixture({
      'models/a.sql': "{{ config(materialized='table') }}select 1 as id",
      'models/v.sql': 'select * from {{ ref("a") }}',
    });
    fx.write({ 'profiles.yml': profilesYml('fixture', "':memory:'") });
    const { results, project } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(results.success).toBe(true);
    expect(new SqlCompiler(project).compile('model.fixture.v')).toContain('from "memory"."main"."a"');
  });

  it("a profile database that is not the file's is refused, as dbt-duckdb does", async () => {
    const fx = fixture({ 'models/a.sql': 'select 1 as id' });
    fx.write({
      'profiles.yml': profilesYml('fixture', fx.warehouse).replace(
        '      threads',
        '      database: other\n      threads',
      ),
    });
    await expect(loadFixture(fx.dir)).rejects.toThrow(
      /database 'other' does not match the path; it must be 'wh'/,
    );
  });
});

// dbt-duckdb README, "Attaching Additional Databases": profile `attach:` entries (path, alias,
// read_only) are attached at connection time; models and sources address them with `database:`.
describe('attached databases (github.com/duckdb/dbt-duckdb README: Attaching Additional Databases)', () => {
  it('a source reads a read-only attachment and a model with database: builds into another', async () => {
    const fx = fixture({
      'models/_sources.yml':
        'version: 2\nsources:\n  - name: ref\n    database: refdata\n    schema: main\n    tables:\n      - name: rates\n',
      'models/priced.sql':
        "{{ config(materialized='table') }}select id, rate * 2 as doubled from {{ source('ref', 'rates') }}",
      'models/exported.sql':
        "{{ config(materialized='table', database='outdb', schema='sales') }}select *, '{{ this }}' as me from {{ ref('priced') }}",
    });
    const refFile = join(fx.dir, 'ref.duckdb');
    await queryWarehouse(refFile, 'create table main.rates as select 1 as id, 5 as rate');
    fx.write({
      'profiles.yml': profilesYml('fixture', fx.warehouse).replace(
        '      threads',
        '      attach:\n        - path: ref.duckdb\n          alias: refdata\n          read_only: true\n        - path: out.duckdb\n          alias: outdb\n      threads',
      ),
    });
    const { results, project } = await loadAndRun(fx.dir, { command: 'run', threads: 2 });
    expect(results.success).toBe(true);
    expect(new SqlCompiler(project).compile('model.fixture.priced')).toContain(
      'from "refdata"."main"."rates"',
    );
    // The model lands in the attached file (schema by generate_schema_name: main_sales).
    expect(await queryWarehouse(join(fx.dir, 'out.duckdb'), 'select * from main_sales.exported')).toEqual([
      { id: 1, doubled: 10, me: '"outdb"."main_sales"."exported"' },
    ]);
    expect(await queryWarehouse(fx.warehouse, 'select * from main.priced')).toEqual([{ id: 1, doubled: 10 }]);
    // A second run finds the relation in the attachment (replaced, not created twice).
    expect((await loadAndRun(fx.dir, { command: 'run', threads: 2 })).results.success).toBe(true);
  });
});

// docs.getdbt.com/docs/core/connect-data-platform/postgres-setup: the target's database is dbname.
describe('three-part names on Postgres (docs.getdbt.com/docs/core/connect-data-platform/postgres-setup)', () => {
  const stop = usePostgres();
  afterAll(() => stop());

  it('this renders "<dbname>"."<schema>"."<identifier>" and the run succeeds', async () => {
    const schema = `ssa_tpn_${process.pid}`;
    const fx = fixture({
      'profiles.yml': `fixture:\n  target: dev\n  outputs:\n    dev:\n${postgresTarget.output('', schema, 1)}`,
      'models/a.sql': "{{ config(materialized='table') }}select 1 as id",
      'models/b.sql': "select '{{ this }}' as me, (select count(*) from {{ ref('a') }})::int as n",
    });
    const { results } = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(results.success).toBe(true);
    const db = process.env.PGDATABASE as string;
    expect(await postgresTarget.query(fx.dir, `select * from ${schema}.b`)).toEqual([
      { me: `"${db}"."${schema}"."b"`, n: 1 },
    ]);
    await postgresTarget.query(fx.dir, `drop schema ${schema} cascade`);
  });
});
