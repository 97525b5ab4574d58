import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';

function writeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'shopsmart-ls-'));
  const all: Record<string, string> = {
    'dbt_project.yml': 'name: shop\nprofile: shop\n',
    'profiles.yml': `shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${join(dir, 'wh.duckdb')}\n      threads: 1\n`,
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function shopsmart(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l: string) => out.push(l), err: (l: string) => err.push(l) });
  return { code, out, err };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const project = {
  'models/staging/stg_orders.sql': "{{ config(materialized='table', alias='orders_v') }}select 1 as id",
  'models/orders.sql': "select * from {{ ref('stg_orders') }}",
  'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n',
};

// https://docs.getdbt.com/reference/commands/list : --output selector (default) | name | json | path;
// json holds unique_id, name, resource_type, package_name, original_file_path, alias, depends_on,
// tags and config; --output-keys chooses the keys.
describe('ls outputs (docs.getdbt.com/reference/commands/list)', () => {
  it('prints names, selectors, json with alias/depends_on/full config, and --output-keys', async () => {
    const dir = writeProject(project);
    dirs.push(dir);
    const names = await shopsmart(['ls', '--project-dir', dir, '--output', 'name']);
    expect(names.code).toBe(0);
    expect(names.out).toEqual(['orders', 'stg_orders', 'raw.events']);
    const selectors = await shopsmart(['ls', '--project-dir', dir]);
    expect(selectors.out).toEqual(['shop.orders', 'shop.staging.stg_orders', 'source:shop.raw.events']);
    const json = await shopsmart([
      'ls',
      '--project-dir',
      dir,
      '-s',
      'stg_orders',
      'orders',
      '--output',
      'json',
    ]);
    const [orders, stg] = json.out.map((line) => JSON.parse(line));
    expect(Object.keys(stg).sort()).toEqual(
      [
        'alias',
        'config',
        'depends_on',
        'name',
        'original_file_path',
        'package_name',
        'resource_type',
        'tags',
        'unique_id',
      ].sort(),
    );
    expect(stg.alias).toBe('orders_v');
    expect(stg.config).toMatchObject({ materialized: 'table', alias: 'orders_v', enabled: true });
    expect(orders.depends_on.nodes).toEqual(['model.shop.stg_orders']);
    const keys = await shopsmart([
      'ls',
      '--project-dir',
      dir,
      '-s',
      'orders',
      '--output',
      'json',
      '--output-keys',
      'name',
      'resource_type',
    ]);
    expect(keys.out.map((line) => JSON.parse(line))).toEqual([{ resource_type: 'model', name: 'orders' }]);
  });
});

// https://docs.getdbt.com/reference/dbt-jinja-functions/execute : dbt compile renders with execute True.
describe('compile renders with execute true (docs.getdbt.com/reference/commands/compile)', () => {
  it('prints the warehouse branch of an introspective model', async () => {
    const dir = writeProject({
      'models/a.sql': "{{ config(materialized='table') }}select 1 as id union all select 2",
      'models/b.sql':
        "{% if execute %}select {{ run_query('select count(*) from ' ~ ref('a')).columns[0].values()[0] }} as n{% else %}select -1 as n{% endif %}",
    });
    dirs.push(dir);
    expect((await shopsmart(['run', '--project-dir', dir, '-s', 'a'])).code).toBe(0);
    const compiled = await shopsmart(['compile', '--project-dir', dir, '-s', 'b']);
    expect(compiled.code).toBe(0);
    expect(compiled.out.join('\n')).toContain('select 2 as n');
  });
});

// https://docs.getdbt.com/docs/build/incremental-microbatch#backfills : --event-time-start/end.
describe('--event-time-start / --event-time-end (docs.getdbt.com/docs/build/incremental-microbatch)', () => {
  it('rebuilds only the batches in the window, and refuses a start after the end', async () => {
    const dir = writeProject({
      'models/events.sql':
        "{{ config(materialized='table', event_time='ts') }}select * from (values (1, timestamp '2024-01-01 10:00'), (2, timestamp '2024-01-02 10:00')) t(id, ts)",
      'models/mb.sql':
        "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day', begin='2024-01-01') }}select id, ts from {{ ref('events') }}",
    });
    dirs.push(dir);
    const run = await shopsmart([
      'run',
      '--project-dir',
      dir,
      '--event-time-start',
      '2024-01-01',
      '--event-time-end',
      '2024-01-03',
    ]);
    expect(run.code).toBe(0);
    const runResults = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8'));
    const mb = runResults.results.find((r: { unique_id: string }) => r.unique_id === 'model.shop.mb');
    expect(mb.message).toMatch(/2 of 2 day batches, 2 rows/);
    const bad = await shopsmart([
      'run',
      '--project-dir',
      dir,
      '--event-time-start',
      '2024-01-03',
      '--event-time-end',
      '2024-01-01',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toContain('--event-time-start must be before --event-time-end');
  });
});
