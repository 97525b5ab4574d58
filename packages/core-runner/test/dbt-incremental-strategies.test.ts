import { afterEach, describe, expect, it } from 'vitest';
import { buildManifest, readProject } from '../src/index.js';
import { type Fixture, loadAndRun, queryWarehouse, runFixture, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

/** Parses and runs as an invocation started at `now` would. */
async function runAt(
  dir: string,
  now: string,
  options: { eventTimeStart?: string; eventTimeEnd?: string } = {},
) {
  const definition = await readProject(dir);
  const target = definition.targets[definition.defaultTarget];
  if (!target) throw new Error('no target');
  const project = buildManifest({ definition, target, runStartedAt: new Date(now) });
  return runFixture(project, { command: 'run', threads: 1, ...options });
}

const events = (rows: string) =>
  `{{ config(materialized='table', event_time='ts') }}select id, ts::timestamp as ts, label from (values ${rows}) t(id, ts, label)`;

// https://docs.getdbt.com/docs/build/incremental-microbatch : event_time, batch_size, begin,
// lookback; refs to models with an event_time read only the batch; --event-time-start/end choose
// the batches; each batch is replaced on its own and a failed batch does not stop the others.
describe('microbatch (docs.getdbt.com/docs/build/incremental-microbatch)', () => {
  it('builds from begin by batch, reprocesses lookback batches, and honours --event-time-start/end', async () => {
    const fx = writeFixture({
      'models/events.sql': events(
        "(0, '2023-12-31 10:00', 'old'), (1, '2024-01-01 10:00', 'a'), (2, '2024-01-02 11:00', 'b'), (3, '2024-01-03 09:00', 'c')",
      ),
      'models/mb.sql':
        "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day', begin='2024-01-01', lookback=1) }}\nselect id, ts, label from {{ ref('events') }}",
    });
    fixtures.push(fx);
    const first = await runAt(fx.dir, '2024-01-03T12:00:00Z');
    expect(first.status).toEqual({ events: 'success', mb: 'success' });
    expect(first.results.results.find((r) => r.uniqueId === 'model.fixture.mb')?.message).toContain(
      '3 of 3 day batches',
    );
    const rows = () => queryWarehouse(fx.warehouse, 'select id, label from main.mb order by id');
    expect(await rows()).toEqual([
      { id: 1, label: 'a' },
      { id: 2, label: 'b' },
      { id: 3, label: 'c' },
    ]);
    fx.write({
      'models/events.sql': events(
        "(0, '2023-12-31 10:00', 'old'), (1, '2024-01-01 10:00', 'a2'), (2, '2024-01-02 11:00', 'b2'), (3, '2024-01-03 09:00', 'c2'), (4, '2024-01-03 15:00', 'd')",
      ),
    });
    // lookback 1: the current day and the one before are rebuilt; Jan 1 is left as it was.
    await runAt(fx.dir, '2024-01-03T20:00:00Z');
    expect(await rows()).toEqual([
      { id: 1, label: 'a' },
      { id: 2, label: 'b2' },
      { id: 3, label: 'c2' },
      { id: 4, label: 'd' },
    ]);
    const backfill = await runAt(fx.dir, '2024-01-03T20:00:00Z', {
      eventTimeStart: '2024-01-01',
      eventTimeEnd: '2024-01-02',
    });
    expect(backfill.results.results.find((r) => r.uniqueId === 'model.fixture.mb')?.message).toContain(
      '1 of 1 day batches',
    );
    expect((await rows())[0]).toEqual({ id: 1, label: 'a2' });
  });

  it('a failing batch makes the model a partial success; the other batches are written', async () => {
    const fx = writeFixture({
      'models/events.sql': events(
        "(1, '2024-01-01 10:00', 'a'), (2, '2024-01-02 11:00', 'b'), (3, '2024-01-03 09:00', 'c')",
      ),
      'models/mb.sql':
        "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day', begin='2024-01-01') }}\nselect id, ts, case when label = 'b' then error('bad row') else label end as label from {{ ref('events') }}",
    });
    fixtures.push(fx);
    const run = await runAt(fx.dir, '2024-01-03T12:00:00Z');
    expect(run.status.mb).toBe('partial success');
    const message = run.results.results.find((r) => r.uniqueId === 'model.fixture.mb')?.message ?? '';
    expect(message).toContain('2 of 3 day batches');
    expect(message).toContain('failed batches: 2024-01-02');
    expect(await queryWarehouse(fx.warehouse, 'select id from main.mb order by id')).toEqual([
      { id: 1 },
      { id: 3 },
    ]);
  });
});

// https://docs.getdbt.com/docs/build/incremental-strategy : insert_overwrite replaces the
// partitions present in the new rows (the whole table without partition_by).
describe('insert_overwrite (docs.getdbt.com/docs/build/incremental-strategy)', () => {
  it('replaces only the partitions the new rows hold', async () => {
    const src = (rows: string) =>
      `{{ config(materialized='table') }}select * from (values ${rows}) t(id, day_key, v)`;
    const fx = writeFixture({
      'models/src.sql': src("(1, '2024-01-01', 'x'), (2, '2024-01-02', 'y'), (3, '2024-01-02', 'z')"),
      'models/io.sql':
        "{{ config(materialized='incremental', incremental_strategy='insert_overwrite', partition_by='day_key') }}\nselect * from {{ ref('src') }}\n{% if is_incremental() %}where day_key = '2024-01-02'{% endif %}",
    });
    fixtures.push(fx);
    expect((await loadAndRun(fx.dir, { command: 'run', threads: 1 })).results.success).toBe(true);
    fx.write({ 'models/src.sql': src("(1, '2024-01-01', 'x2'), (2, '2024-01-02', 'y2')") });
    const second = await loadAndRun(fx.dir, { command: 'run', threads: 1 });
    expect(second.status).toEqual({ src: 'success', io: 'success' });
    expect(await queryWarehouse(fx.warehouse, 'select id, v from main.io order by id')).toEqual([
      { id: 1, v: 'x' },
      { id: 2, v: 'y2' },
    ]);
  });
});
