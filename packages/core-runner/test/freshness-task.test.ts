import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { type EngineEvent, EventBus } from '../src/events.js';
import { buildManifest } from '../src/project/manifest-builder.js';
import { readProject } from '../src/project/project-file-reader.js';
import { checkSourceFreshness } from '../src/tasks/freshness-task.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const hoursAgo = (hours: number) =>
  `timestamp '${new Date(Date.now() - hours * 3600_000).toISOString().replace('T', ' ').replace('Z', '')}'`;

const sourcesYaml = `version: 2
sources:
  - name: raw
    schema: raw
    loaded_at_field: _loaded_at
    freshness:
      warn_after: {count: 24, period: hour}
      error_after: {count: 2, period: day}
    tables:
      - name: orders
      - name: customers
      - name: events
      - name: payments
        loaded_at_field: "cast(loaded_at_text as timestamp)"
        freshness:
          warn_after: {count: 12, period: hour}
          filter: "status != 'test'"
      - name: missing
      - name: countries
        freshness: null
`;

async function fixture(yaml = sourcesYaml) {
  const dir = mkdtempSync(join(tmpdir(), 'ssa-freshness-'));
  dirs.push(dir);
  const warehouse = join(dir, 'warehouse.duckdb');
  const files: Record<string, string> = {
    'dbt_project.yml': 'name: fixture\nprofile: fixture\n',
    'profiles.yml': `fixture:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${warehouse}\n      threads: 2\n`,
    'models/_sources.yml': yaml,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const instance = await DuckDBInstance.create(warehouse);
  const connection = await instance.connect();
  await connection.run(`create schema raw;
create table raw.orders as select 1 as id, ${hoursAgo(1)} as _loaded_at union all select 2, ${hoursAgo(3)};
create table raw.customers as select 1 as id, ${hoursAgo(30)} as _loaded_at;
create table raw.events as select 1 as id, cast(${hoursAgo(50)} as timestamptz) as _loaded_at;
create table raw.payments as select 'ok' as status, cast(${hoursAgo(20)} as varchar) as loaded_at_text union all select 'test', cast(${hoursAgo(1)} as varchar);
create table raw.countries as select 'NL' as code, ${hoursAgo(500)} as _loaded_at;`);
  connection.closeSync();
  instance.closeSync();
  const definition = await readProject(dir);
  const project = buildManifest({
    definition,
    target: definition.targets.dev as NonNullable<(typeof definition.targets)['dev']>,
  });
  return { dir, project };
}

describe('checkSourceFreshness', () => {
  it('grades each table by the age of its newest row, reports events and writes sources.json', async () => {
    const { dir, project } = await fixture();
    const events: EngineEvent[] = [];
    const outcome = await checkSourceFreshness(project, { events: new EventBus((e) => events.push(e)) });
    const byName = Object.fromEntries(outcome.results.map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(['customers', 'events', 'missing', 'orders', 'payments']);
    expect(byName.orders?.status).toBe('pass');
    expect(byName.orders?.ageSeconds).toBeGreaterThan(3590);
    expect(byName.orders?.ageSeconds).toBeLessThan(3700);
    expect(byName.orders?.message).toMatch(/^age 60 min, warn after 24 h, error after 2 d$/);
    expect(byName.customers?.status).toBe('warn');
    expect(byName.customers?.message).toBe('age 30.0 h, warn after 24 h, error after 2 d');
    expect(byName.events?.status).toBe('error');
    expect(byName.events?.message).toBe('age 2.1 d, warn after 24 h, error after 2 d');
    // The table's own warn_after applies; the filter drops the recent 'test' row.
    expect(byName.payments?.status).toBe('warn');
    expect(byName.payments?.message).toMatch(/^age 20\.0 h, warn after 12 h/);
    expect(byName.missing?.status).toBe('runtime error');
    expect(byName.missing?.message).toMatch(/missing/);
    expect(outcome.success).toBe(false);

    const finished = events.filter(
      (e): e is Extract<EngineEvent, { kind: 'node_finished' }> => e.kind === 'node_finished',
    );
    expect(finished).toHaveLength(5);
    expect(finished.every((e) => e.resourceType === 'source')).toBe(true);
    expect(finished.find((e) => e.name === 'raw.customers')).toMatchObject({
      status: 'warn',
      relation: 'raw.customers',
      message: 'age 30.0 h, warn after 24 h, error after 2 d',
    });
    expect(events.at(-1)).toMatchObject({
      kind: 'run_finished',
      command: 'source freshness',
      success: false,
      counts: { pass: 1, warn: 2, error: 1, 'runtime error': 1 },
    });

    const artifact = JSON.parse(readFileSync(join(dir, 'target', 'sources.json'), 'utf8'));
    expect(artifact.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/sources/v3.json');
    const customers = artifact.results.find(
      (r: { unique_id: string }) => r.unique_id === 'source.fixture.raw.customers',
    );
    expect(customers).toMatchObject({
      status: 'warn',
      criteria: {
        warn_after: { count: 24, period: 'hour' },
        error_after: { count: 2, period: 'day' },
        filter: null,
      },
    });
    expect(Math.round(customers.max_loaded_at_time_ago_in_s / 3600)).toBe(30);
    expect(Date.parse(customers.snapshotted_at) - Date.parse(customers.max_loaded_at)).toBeCloseTo(
      customers.max_loaded_at_time_ago_in_s * 1000,
      -2,
    );
    expect(
      artifact.results.find((r: { unique_id: string }) => r.unique_id === 'source.fixture.raw.missing'),
    ).toMatchObject({ status: 'runtime error', error: expect.stringMatching(/missing/) });
  });

  it('checks only the selected sources, and passes when they are fresh', async () => {
    const { project } = await fixture();
    const outcome = await checkSourceFreshness(project, {
      select: ['source:raw.orders'],
      events: new EventBus(),
      writeArtifacts: false,
    });
    expect(outcome.results.map((r) => [r.uniqueId, r.status])).toEqual([
      ['source.fixture.raw.orders', 'pass'],
    ]);
    expect(outcome.success).toBe(true);
  });

  it('reports every threshold problem at once, before touching the warehouse', async () => {
    const yaml = `version: 2
sources:
  - name: raw
    schema: raw
    freshness:
      warn_after: {count: 1, period: week}
    tables:
      - name: orders
        loaded_at_field: _loaded_at
      - name: customers
        freshness:
          error_after: {count: 1, period: day}
`;
    const { dir, project } = await fixture(yaml);
    const failure = checkSourceFreshness(project, { events: new EventBus() });
    await expect(failure).rejects.toThrow(/^2 problems/);
    await expect(failure).rejects.toThrow(/raw\.orders': warn_after period 'week'/);
    await expect(failure).rejects.toThrow(/'raw\.customers' has freshness thresholds but no loaded_at_field/);
    expect(existsSync(join(dir, 'target', 'sources.json'))).toBe(false);
  });
});
