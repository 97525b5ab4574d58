import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildManifest, planRetry, type RunOptions, readProject } from '../src/index.js';
import { batchContext } from '../src/materialize/microbatch-materialization.js';
import { type Fixture, queryWarehouse, runFixture, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

/** Parses and runs as an invocation started at `now` would. */
async function runAt(dir: string, now: string, options: Partial<Omit<RunOptions, 'events'>> = {}) {
  const definition = await readProject(dir);
  const target = definition.targets[definition.defaultTarget];
  if (!target) throw new Error('no target');
  const project = buildManifest({ definition, target, runStartedAt: new Date(now) });
  return runFixture(project, { command: 'run', threads: 1, ...options });
}

const events = (rows: string) =>
  `{{ config(materialized='table', event_time='ts') }}select id, ts::timestamp as ts, label from (values ${rows}) t(id, ts, label)`;
const microbatch = (extra = '') =>
  `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day', begin='2024-01-01'${extra}) }}\n`;

// docs.getdbt.com/docs/build/incremental-microbatch ("Retry"): a model some of whose batches
// failed ends in `partial success`, its children are skipped, and `dbt retry` runs only the failed
// batches again (run_results.json keeps them in `batch_results`).
describe('microbatch partial success and retry (docs.getdbt.com/docs/build/incremental-microbatch)', () => {
  it('partial success skips children, records batch_results, and retry reruns only the failed batch', async () => {
    const fx = writeFixture({
      'models/events.sql': events(
        "(1, '2024-01-01 10:00', 'a'), (2, '2024-01-02 11:00', 'b'), (3, '2024-01-03 09:00', 'c')",
      ),
      'models/mb.sql': `${microbatch()}select id, ts, case when label = 'b' then error('bad row') else label end as label from {{ ref('events') }}`,
      'models/after_mb.sql': "select count(*) as n from {{ ref('mb') }}",
    });
    fixtures.push(fx);
    const first = await runAt(fx.dir, '2024-01-03T12:00:00Z');
    expect(first.status).toEqual({ events: 'success', mb: 'partial success', after_mb: 'skipped' });
    expect(first.results.success).toBe(false);
    const saved = JSON.parse(readFileSync(join(fx.dir, 'target/run_results.json'), 'utf8')) as {
      results: { unique_id: string; status: string; batch_results?: unknown }[];
    };
    expect(saved.results.find((r) => r.unique_id === 'model.fixture.mb')).toMatchObject({
      status: 'partial success',
      batch_results: {
        successful: [
          ['2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z'],
          ['2024-01-03T00:00:00.000Z', '2024-01-04T00:00:00.000Z'],
        ],
        failed: [['2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z']],
      },
    });

    // Fix the model and change the data of a batch that succeeded: retry must not touch it.
    fx.write({
      'models/events.sql': events(
        "(1, '2024-01-01 10:00', 'a-changed'), (2, '2024-01-02 11:00', 'b'), (3, '2024-01-03 09:00', 'c')",
      ),
      'models/mb.sql': `${microbatch()}select id, ts, label from {{ ref('events') }}`,
    });
    const plan = planRetry(join(fx.dir, 'target'), fx.dir);
    expect(plan.retry.sort()).toEqual(['model.fixture.after_mb', 'model.fixture.mb']);
    expect(plan.batches).toEqual({
      'model.fixture.mb': [['2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z']],
    });
    const retry = await runAt(fx.dir, '2024-01-03T12:00:00Z', {
      ...plan.options,
      only: plan.retry,
      retryBatches: plan.batches,
    });
    expect(retry.status).toEqual({ mb: 'success', after_mb: 'success' });
    expect(retry.results.results.find((r) => r.uniqueId === 'model.fixture.mb')?.message).toContain(
      '1 of 1 day batches',
    );
    expect(await queryWarehouse(fx.warehouse, 'select id, label from main.mb order by id')).toEqual([
      { id: 1, label: 'a' },
      { id: 2, label: 'b' },
      { id: 3, label: 'c' },
    ]);
  });

  it('every batch failing is an error, not a partial success', async () => {
    const fx = writeFixture({
      'models/events.sql': events("(1, '2024-01-01 10:00', 'a'), (2, '2024-01-02 11:00', 'b')"),
      'models/mb.sql': `${microbatch()}select id, ts, error('always') as label from {{ ref('events') }}`,
    });
    fixtures.push(fx);
    const run = await runAt(fx.dir, '2024-01-02T12:00:00Z');
    expect(run.status.mb).toBe('error');
  });
});

// docs.getdbt.com/docs/build/incremental-microbatch ("Jinja context"): model.batch.id,
// model.batch.event_time_start and model.batch.event_time_end while a batch renders.
describe('model.batch (docs.getdbt.com/docs/build/incremental-microbatch)', () => {
  it('each batch renders with its id and window', async () => {
    const fx = writeFixture({
      'models/events.sql': events("(1, '2024-01-01 10:00', 'a'), (2, '2024-01-02 11:00', 'b')"),
      'models/mb.sql': `${microbatch()}select id, ts, '{% if model.batch %}{{ model.batch.id }}{% endif %}' as batch_id, '{% if model.batch %}{{ model.batch.event_time_start }}|{{ model.batch.event_time_end }}{% endif %}' as win from {{ ref('events') }}`,
    });
    fixtures.push(fx);
    const run = await runAt(fx.dir, '2024-01-02T12:00:00Z');
    expect(run.status.mb).toBe('success');
    expect(await queryWarehouse(fx.warehouse, 'select id, batch_id, win from main.mb order by id')).toEqual([
      { id: 1, batch_id: '20240101', win: '2024-01-01 00:00:00+00:00|2024-01-02 00:00:00+00:00' },
      { id: 2, batch_id: '20240102', win: '2024-01-02 00:00:00+00:00|2024-01-03 00:00:00+00:00' },
    ]);
  });

  it('hourly batch ids carry the hour, as dbt formats them', () => {
    expect(batchContext(new Date('2024-01-02T05:00:00Z'), new Date('2024-01-02T06:00:00Z'), 'hour')).toEqual({
      id: '20240102 05:00:00+00:00',
      event_time_start: '2024-01-02 05:00:00+00:00',
      event_time_end: '2024-01-02 06:00:00+00:00',
    });
  });
});

// docs.getdbt.com/reference/resource-properties/concurrent_batches and
// docs.getdbt.com/docs/build/parallel-batch-execution: with concurrent_batches the batches between
// the first and the last run at once (up to the threads); the table equals a sequential build.
describe('concurrent_batches (docs.getdbt.com/reference/resource-properties/concurrent_batches)', () => {
  it('parallel batches write the same table as sequential ones', async () => {
    const rows = Array.from(
      { length: 40 },
      (_, i) => `(${i}, timestamp '2024-01-01 00:00' + interval ${i * 5} hour, 'r${i}')`,
    ).join(', ');
    const source = `{{ config(materialized='table', event_time='ts') }}select id, ts, label from (values ${rows}) t(id, ts, label)`;
    const body =
      "select id, ts, label || '-' || '{{ model.batch.id if model.batch else '' }}' as label from {{ ref('events') }}";
    const parallel = writeFixture(
      {
        'models/events.sql': source,
        'models/mb.sql': `${microbatch(', concurrent_batches=true')}${body}`,
      },
      { threads: 3 },
    );
    const serial = writeFixture(
      {
        'models/events.sql': source,
        'models/mb.sql': `${microbatch(', concurrent_batches=false')}${body}`,
      },
      { threads: 3 },
    );
    fixtures.push(parallel, serial);
    const a = await runAt(parallel.dir, '2024-01-09T12:00:00Z', { threads: 3 });
    const b = await runAt(serial.dir, '2024-01-09T12:00:00Z', { threads: 3 });
    expect(a.status.mb).toBe('success');
    expect(b.status.mb).toBe('success');
    expect(a.results.results.find((r) => r.uniqueId === 'model.fixture.mb')?.message).toContain(
      '9 of 9 day batches, 40 rows',
    );
    const read = (fx: Fixture) =>
      queryWarehouse(fx.warehouse, 'select id, ts::varchar as ts, label from main.mb order by id');
    const parallelRows = await read(parallel);
    expect(parallelRows).toHaveLength(40);
    expect(parallelRows).toEqual(await read(serial));
  });
});
