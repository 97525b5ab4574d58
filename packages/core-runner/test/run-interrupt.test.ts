import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type EngineEvent, EventBus, executeRun } from '../src/index.js';
import { type Fixture, loadAndRun, loadFixture, queryWarehouse, writeFixture } from './fixture-project.js';

// `slow` scans billions of rows when var slow is set (minutes), and is instant otherwise.
const files = {
  'seeds/countries.csv': 'code,name\nUS,United States\nFR,France\n',
  'models/quick.sql': "{{ config(materialized='table') }}\nselect 1 as id",
  'models/slow.sql':
    "{{ config(materialized='table') }}\nselect {% if var('slow', false) %}(select sum(hash(range)) from range(50000000000)){% else %}0{% endif %} as total",
  'models/after_slow.sql': "select total from {{ ref('slow') }}",
  // Three tests on a view: the run stores the view's rows once in a scratch schema for them.
  'models/listed.sql': "{{ config(materialized='view') }}\nselect code from {{ ref('countries') }}",
  'models/_models.yml': [
    'version: 2',
    'models:',
    '  - name: after_slow',
    '    columns:',
    '      - name: total',
    '        data_tests: [not_null]',
    '  - name: listed',
    '    columns:',
    '      - name: code',
    "        data_tests: [not_null, unique, {accepted_values: {values: ['US', 'FR']}}]",
    '',
  ].join('\n'),
};
const listedTests = {
  listed: 'success',
  not_null_listed_code: 'pass',
  unique_listed_code: 'pass',
  accepted_values_listed_code__US__FR: 'pass',
};

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

describe('an interrupted run (its signal aborted)', () => {
  it('cancels the running node, skips the rest, rolls back, writes run_results and releases the lock', async () => {
    const fx = writeFixture(files, { threads: 2 });
    fixtures.push(fx);
    expect((await loadAndRun(fx.dir, { command: 'build' })).results.success).toBe(true);

    const project = await loadFixture(fx.dir, { slow: true });
    const controller = new AbortController();
    const events: EngineEvent[] = [];
    // Interrupt once `slow` runs and every other runnable node is done (however busy the machine).
    const others = ['countries', 'quick', ...Object.keys(listedTests)];
    const done = new Set<string>();
    let slowStarted = false;
    const bus = new EventBus((event) => {
      events.push(event);
      if (event.kind === 'node_started' && event.name === 'slow') slowStarted = true;
      if (event.kind === 'node_finished') done.add(event.name);
      if (slowStarted && others.every((name) => done.has(name)) && !controller.signal.aborted)
        setTimeout(() => controller.abort(), 200);
    });
    const started = performance.now();
    const results = await executeRun(project, { command: 'build', events: bus, signal: controller.signal });
    const elapsed = performance.now() - started;

    const status = Object.fromEntries(
      results.results.map((r) => [project.manifest.nodes[r.uniqueId]?.name ?? r.uniqueId, r.status]),
    );
    expect(status).toEqual({
      countries: 'success',
      quick: 'success',
      slow: 'cancelled',
      after_slow: 'skipped',
      not_null_after_slow_total: 'skipped',
      ...listedTests,
    });
    expect(results.interrupted).toBe(true);
    expect(results.success).toBe(false);
    // The scan would take minutes: the interrupt stopped it.
    expect(elapsed).toBeLessThan(10_000);
    const finished = events.find((e) => e.kind === 'run_finished');
    expect(finished).toMatchObject({ kind: 'run_finished', interrupted: true, success: false });
    expect(
      events.some((e) => e.kind === 'node_finished' && e.name === 'slow' && e.status === 'cancelled'),
    ).toBe(true);

    const written = JSON.parse(readFileSync(join(fx.dir, 'target', 'run_results.json'), 'utf8')) as {
      results: { unique_id: string; status: string; message: string }[];
    };
    expect(written.results.map((r) => r.status).sort()).toEqual([
      'cancelled',
      'pass',
      'pass',
      'pass',
      'skipped',
      'skipped',
      'success',
      'success',
      'success',
    ]);
    expect(written.results.find((r) => r.unique_id === 'model.fixture.after_slow')?.message).toMatch(
      /interrupted before this node started/,
    );
    expect(existsSync(`${fx.warehouse}.lock`)).toBe(false);
    expect(existsSync(`${fx.warehouse}.wal`)).toBe(false);
    expect(
      await queryWarehouse(
        fx.warehouse,
        "select count(*) as n from duckdb_schemas() where schema_name = 'ssa_test_inputs'",
      ),
    ).toEqual([{ n: 0 }]);
    // The cancelled model's previous version is untouched.
    expect(await queryWarehouse(fx.warehouse, 'select total from main.slow')).toEqual([{ total: 0 }]);

    const again = await loadAndRun(fx.dir, { command: 'build' });
    expect(again.results.success).toBe(true);
  });

  it('aborted before any node starts: every selected node is skipped, nothing runs', async () => {
    const fx = writeFixture(files, { threads: 2 });
    fixtures.push(fx);
    const project = await loadFixture(fx.dir);
    const controller = new AbortController();
    controller.abort();
    const results = await executeRun(project, {
      command: 'build',
      events: new EventBus(),
      signal: controller.signal,
    });
    expect(results.interrupted).toBe(true);
    expect(results.results.map((r) => r.status)).toEqual(Array(9).fill('skipped'));
    expect(existsSync(`${fx.warehouse}.lock`)).toBe(false);
    expect(
      await queryWarehouse(
        fx.warehouse,
        "select count(*) as n from information_schema.tables where table_schema = 'main'",
      ),
    ).toEqual([{ n: 0 }]);
  });
});
