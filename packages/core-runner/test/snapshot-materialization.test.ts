import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from '../src/events.js';
import { buildManifest } from '../src/project/manifest-builder.js';
import { readProject } from '../src/project/project-file-reader.js';
import { executeRun } from '../src/tasks/run-task.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type Row = Record<string, unknown>;

/** A dbt project in a temp dir with a `raw.customers` source and the given snapshot config. */
async function fixture(snapshotConfig: string, sourceDdl: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ssa-snapshot-'));
  dirs.push(dir);
  const warehouse = join(dir, 'warehouse.duckdb');
  const files: Record<string, string> = {
    'dbt_project.yml': 'name: fixture\nprofile: fixture\n',
    'profiles.yml': `fixture:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${warehouse}\n      threads: 1\n`,
    'models/_sources.yml':
      'version: 2\nsources:\n  - name: raw\n    schema: raw\n    tables:\n      - name: customers\n',
    'snapshots/customers_snapshot.sql': `{% snapshot customers_snapshot %}\n{{ config(target_schema='snapshots', ${snapshotConfig}) }}\nselect * from {{ source('raw', 'customers') }}\n{% endsnapshot %}\n`,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const sql = async (statements: string): Promise<Row[]> => {
    const instance = await DuckDBInstance.create(warehouse);
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(statements);
      return reader.getRowObjectsJson() as Row[];
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  };
  await sql(`create schema raw; ${sourceDdl}`);
  const definition = await readProject(dir);
  const project = buildManifest({
    definition,
    target: definition.targets.dev as NonNullable<(typeof definition.targets)['dev']>,
  });
  const snapshot = async () => {
    const results = await executeRun(project, {
      command: 'snapshot',
      events: new EventBus(),
      writeArtifacts: false,
    });
    const result = results.results[0];
    if (!result) throw new Error('no snapshot ran');
    return result;
  };
  const rows = (orderBy = 'id, dbt_valid_from') =>
    sql(`select * from snapshots.customers_snapshot order by ${orderBy}`);
  return { sql, snapshot, rows };
}

const customers = `create table raw.customers (id integer, name varchar, tier varchar, updated_at timestamp);
insert into raw.customers values (1, 'Ann', 'gold', '2024-01-01 00:00:00'), (2, 'Bob', 'silver', '2024-01-01 00:00:00'), (3, 'Cy', 'bronze', '2024-01-01 00:00:00');`;

describe('timestamp strategy', () => {
  it('creates the table, then closes the changed version and adds the new one', async () => {
    const { sql, snapshot, rows } = await fixture(
      "unique_key='id', strategy='timestamp', updated_at='updated_at'",
      customers,
    );
    expect((await snapshot()).status).toBe('success');
    const first = await rows();
    expect(first).toHaveLength(3);
    expect(
      first.every(
        (r) =>
          r.dbt_valid_to === null && r.dbt_valid_from === r.updated_at && r.dbt_updated_at === r.updated_at,
      ),
    ).toBe(true);
    const [hash] = await sql(
      `select md5(coalesce(cast(1 as varchar), '') || '|' || coalesce(cast(timestamp '2024-01-01 00:00:00' as varchar), '')) as h`,
    );
    expect(first[0]?.dbt_scd_id).toBe(hash?.h);

    await sql(`update raw.customers set name = 'Ann B', updated_at = '2024-02-01 00:00:00' where id = 1`);
    const second = await snapshot();
    expect(second.status).toBe('success');
    expect(second.message).toBe('snapshot: 1 new version, 1 closed');
    const ann = (await rows()).filter((r) => r.id === 1);
    expect(ann.map((r) => [r.name, r.dbt_valid_from, r.dbt_valid_to])).toEqual([
      ['Ann', '2024-01-01 00:00:00', '2024-02-01 00:00:00'],
      ['Ann B', '2024-02-01 00:00:00', null],
    ]);
    expect(await rows()).toHaveLength(4);
  });

  it('adds nothing when run again with no source change', async () => {
    const { snapshot, rows } = await fixture(
      "unique_key='id', strategy='timestamp', updated_at='updated_at'",
      customers,
    );
    await snapshot();
    const before = await rows();
    const again = await snapshot();
    expect(again.message).toBe('snapshot unchanged');
    expect(await rows()).toEqual(before);
  });

  it('keys on every column of a composite unique_key', async () => {
    const ddl = `create table raw.customers (region varchar, id integer, name varchar, updated_at timestamp);
insert into raw.customers values ('eu', 1, 'Ann', '2024-01-01'), ('us', 1, 'Al', '2024-01-01');`;
    const { sql, snapshot, rows } = await fixture(
      "unique_key=['region', 'id'], strategy='timestamp', updated_at='updated_at'",
      ddl,
    );
    await snapshot();
    await sql(`update raw.customers set name = 'Alan', updated_at = '2024-03-01' where region = 'us'`);
    await snapshot();
    const all = await rows('region, dbt_valid_from');
    expect(all.map((r) => [r.region, r.name, r.dbt_valid_to === null])).toEqual([
      ['eu', 'Ann', true],
      ['us', 'Al', false],
      ['us', 'Alan', true],
    ]);
    const [hash] = await sql(`select md5('us|1|2024-03-01 00:00:00') as h`);
    expect(all[2]?.dbt_scd_id).toBe(hash?.h);
  });
});

describe('check strategy', () => {
  it('versions a row when a listed column changes, and ignores the others', async () => {
    const { sql, snapshot, rows } = await fixture(
      "unique_key='id', strategy='check', check_cols=['tier']",
      customers,
    );
    await snapshot();
    await sql(
      `update raw.customers set name = 'Bobby' where id = 2; update raw.customers set tier = 'platinum' where id = 3`,
    );
    const second = await snapshot();
    expect(second.message).toBe('snapshot: 1 new version, 1 closed');
    const all = await rows();
    expect(all.filter((r) => r.id === 2)).toHaveLength(1);
    const cy = all.filter((r) => r.id === 3);
    expect(cy.map((r) => r.tier)).toEqual(['bronze', 'platinum']);
    // The run time is valid_from and updated_at; the closed row ends when the new one starts.
    expect(cy[0]?.dbt_valid_to).toBe(cy[1]?.dbt_valid_from);
    expect(cy[1]?.dbt_updated_at).toBe(cy[1]?.dbt_valid_from);
    expect(cy[1]?.dbt_valid_to).toBeNull();
    expect((await snapshot()).message).toBe('snapshot unchanged');
  });

  it("compares every column with check_cols='all', nulls included", async () => {
    const { sql, snapshot, rows } = await fixture(
      "unique_key='id', strategy='check', check_cols='all'",
      customers,
    );
    await snapshot();
    await sql(
      `update raw.customers set name = null where id = 1; update raw.customers set name = 'Bobby' where id = 2`,
    );
    await snapshot();
    const current = await sql(
      `select id, name from snapshots.customers_snapshot where dbt_valid_to is null order by id`,
    );
    expect(current).toEqual([
      { id: 1, name: null },
      { id: 2, name: 'Bobby' },
      { id: 3, name: 'Cy' },
    ]);
    expect(await rows()).toHaveLength(5);
    expect((await snapshot()).message).toBe('snapshot unchanged');
  });

  it('adds a column the query gained and counts it as a change', async () => {
    const { sql, snapshot, rows } = await fixture(
      "unique_key='id', strategy='check', check_cols='all'",
      customers,
    );
    await snapshot();
    await sql(
      `alter table raw.customers add column email varchar; update raw.customers set email = 'ann@example.com' where id = 1`,
    );
    const second = await snapshot();
    expect(second.message).toBe('snapshot: 3 new versions, 3 closed, 1 column added');
    const current = (await rows()).filter((r) => r.dbt_valid_to === null);
    expect(current.map((r) => r.email)).toEqual(['ann@example.com', null, null]);
  });
});

describe('dbt 1.9 options', () => {
  it('writes dbt_valid_to_current on current rows, under renamed meta columns', async () => {
    const config = `unique_key='id', strategy='timestamp', updated_at='updated_at', dbt_valid_to_current="timestamp '9999-12-31'", snapshot_meta_column_names={'dbt_valid_from': 'valid_from', 'dbt_valid_to': 'valid_to'}`;
    const { sql, snapshot, rows } = await fixture(config, customers);
    await snapshot();
    expect((await rows('id, valid_from')).map((r) => r.valid_to)).toEqual([
      '9999-12-31 00:00:00',
      '9999-12-31 00:00:00',
      '9999-12-31 00:00:00',
    ]);
    await sql(`update raw.customers set tier = 'gold', updated_at = '2024-02-01' where id = 2`);
    expect((await snapshot()).message).toBe('snapshot: 1 new version, 1 closed');
    const bob = (await rows('id, valid_from')).filter((r) => r.id === 2);
    expect(bob.map((r) => [r.tier, r.valid_from, r.valid_to])).toEqual([
      ['silver', '2024-01-01 00:00:00', '2024-02-01 00:00:00'],
      ['gold', '2024-02-01 00:00:00', '9999-12-31 00:00:00'],
    ]);
    expect((await snapshot()).message).toBe('snapshot unchanged');
  });
});

describe('hard deletes', () => {
  it('invalidate closes the version of a key that left the source', async () => {
    const { sql, snapshot, rows } = await fixture(
      "unique_key='id', strategy='timestamp', updated_at='updated_at', invalidate_hard_deletes=True",
      customers,
    );
    await snapshot();
    await sql(`delete from raw.customers where id = 2`);
    expect((await snapshot()).message).toBe('snapshot: 0 new versions, 1 closed');
    const all = await rows();
    expect(all).toHaveLength(3);
    expect(all.find((r) => r.id === 2)?.dbt_valid_to).not.toBeNull();
    expect((await snapshot()).message).toBe('snapshot unchanged');
    await sql(`insert into raw.customers values (2, 'Bob', 'silver', '2024-04-01')`);
    await snapshot();
    expect((await rows()).filter((r) => r.id === 2).map((r) => r.dbt_valid_to === null)).toEqual([
      false,
      true,
    ]);
  });

  it('new_record adds a dbt_is_deleted row, once, and reopens the key when it returns', async () => {
    const { sql, snapshot, rows } = await fixture(
      "unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='new_record'",
      customers,
    );
    await snapshot();
    expect((await rows()).map((r) => r.dbt_is_deleted)).toEqual(['False', 'False', 'False']);
    await sql(`delete from raw.customers where id = 2`);
    await snapshot();
    let bob = (await rows()).filter((r) => r.id === 2);
    expect(bob.map((r) => [r.name, r.dbt_is_deleted, r.dbt_valid_to === null])).toEqual([
      ['Bob', 'False', false],
      ['Bob', 'True', true],
    ]);
    expect(bob[0]?.dbt_valid_to).toBe(bob[1]?.dbt_valid_from);
    expect((await snapshot()).message).toBe('snapshot unchanged');
    await sql(`insert into raw.customers values (2, 'Bob', 'gold', '2024-05-01')`);
    await snapshot();
    bob = (await rows('id, dbt_updated_at')).filter((r) => r.id === 2);
    expect(bob.map((r) => [r.tier, r.dbt_is_deleted, r.dbt_valid_to === null])).toEqual([
      ['silver', 'False', false],
      ['gold', 'False', true],
      ['silver', 'True', false],
    ]);
  });
});

describe('failures', () => {
  it('leaves the previous snapshot intact when applying the changes fails', async () => {
    const ddl = `create table raw.customers (id integer, amount varchar, updated_at timestamp);
insert into raw.customers values (1, '10', '2024-01-01'), (2, '20', '2024-01-01');`;
    const { sql, snapshot, rows } = await fixture(
      "unique_key='id', strategy='timestamp', updated_at='updated_at'",
      ddl,
    );
    await snapshot();
    await sql(`alter table snapshots.customers_snapshot alter amount type integer`);
    const before = await rows();
    // Closing id 1 succeeds inside the transaction; inserting 'lots' into an integer column then fails.
    await sql(`update raw.customers set amount = 'lots', updated_at = '2024-02-01' where id = 1`);
    const failed = await snapshot();
    expect(failed.status).toBe('error');
    expect(failed.error?.code).toBe('SSA-SQL-001');
    expect(failed.message).toMatch(/convert.*lots/i);
    expect(await rows()).toEqual(before);
  });

  it('reports every config problem at once with the file', async () => {
    const { snapshot } = await fixture("strategy='check'", customers);
    const failed = await snapshot();
    expect(failed.status).toBe('error');
    expect(failed.message).toContain('2 problems');
    expect(failed.message).toContain('no unique_key');
    expect(failed.message).toContain('invalid check_cols');
  });
});
