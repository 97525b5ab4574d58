import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../src/graph/dag-builder.js';
import type { GraphNode } from '../src/graph/graph-types.js';
import { criticalPathRanks, enqueueByRank, previousDurations } from '../src/tasks/critical-path.js';
import { type Fixture, loadFixture, runFixture, writeFixture } from './fixture-project.js';

// A run starts, among the nodes ready at once, the one heading the longest chain of expected
// times (the last run's, from target/run_results.json), so the long pole of a build starts first.

const fixtures: Fixture[] = [];
afterAll(() => {
  for (const f of fixtures) f.remove();
});

const node = (uniqueId: string, dependsOn: string[] = []): GraphNode =>
  ({
    uniqueId,
    resourceType: uniqueId.split('.')[0],
    name: uniqueId.split('.').at(-1),
    packageName: 'p',
    dependsOn,
    config: { enabled: true },
    tags: [],
    fqn: [],
  }) as unknown as GraphNode;

describe('critical-path ranks', () => {
  it('rank = own expected time + the longest chain after it; unknown nodes take a default', () => {
    const { graph } = buildGraph([
      node('model.p.a'),
      node('model.p.b', ['model.p.a']),
      node('model.p.c', ['model.p.a']),
      node('model.p.d', ['model.p.c']),
      node('test.p.t', ['model.p.b']),
    ]);
    const ranks = criticalPathRanks(
      graph,
      new Map([
        ['model.p.a', 10],
        ['model.p.b', 500],
        ['model.p.c', 100],
        ['model.p.d', 300],
      ]),
    );
    expect(Object.fromEntries(ranks)).toEqual({
      'test.p.t': 2,
      'model.p.d': 300,
      'model.p.c': 400,
      'model.p.b': 502,
      'model.p.a': 512,
    });
  });

  it('keeps the queue in descending rank, first come first served among equals', () => {
    const ranks = new Map([
      ['x', 5],
      ['y', 9],
      ['z', 5],
      ['w', 1],
    ]);
    const queue: string[] = [];
    enqueueByRank(queue, ['x', 'w'], ranks);
    enqueueByRank(queue, ['z', 'y', 'unranked'], ranks);
    expect(queue).toEqual(['y', 'x', 'z', 'w', 'unranked']);
  });

  it("reads the last run's times, and nothing from a missing or broken run_results.json", () => {
    const fx = writeFixture({});
    fixtures.push(fx);
    const target = join(fx.dir, 'target');
    expect(previousDurations(target).size).toBe(0);
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'run_results.json'), '{ broken');
    expect(previousDurations(target).size).toBe(0);
    writeFileSync(
      join(target, 'run_results.json'),
      JSON.stringify({ results: [{ unique_id: 'model.p.a', execution_time: 1.5 }, { unique_id: 7 }] }),
    );
    expect(Object.fromEntries(previousDurations(target))).toEqual({ 'model.p.a': 1500 });
  });

  it('on one thread, a run starts the head of the slowest chain before its lighter siblings', async () => {
    const fx = writeFixture(
      {
        'models/a_light.sql': 'select 1 as id',
        'models/b_light.sql': 'select 2 as id',
        'models/z_heavy.sql': 'select 3 as id',
        'models/z_after_heavy.sql': "select * from {{ ref('z_heavy') }}",
      },
      { threads: 1 },
    );
    fixtures.push(fx);
    const startOrder = async () => {
      const { events } = await runFixture(await loadFixture(fx.dir), { command: 'run' });
      return events.flatMap((e) => (e.kind === 'node_started' ? [e.name] : []));
    };
    // No earlier run: each model takes the default, so the two-model chain goes first.
    expect((await startOrder())[0]).toBe('z_heavy');
    // An earlier run in which a_light took long: now it heads the longest chain.
    writeFileSync(
      join(fx.dir, 'target', 'run_results.json'),
      JSON.stringify({
        results: [
          { unique_id: 'model.fixture.a_light', execution_time: 5 },
          { unique_id: 'model.fixture.b_light', execution_time: 0.01 },
          { unique_id: 'model.fixture.z_heavy', execution_time: 0.01 },
          { unique_id: 'model.fixture.z_after_heavy', execution_time: 0.01 },
        ],
      }),
    );
    expect(await startOrder()).toEqual(['a_light', 'z_heavy', 'b_light', 'z_after_heavy']);
  });

  it('the run summary counts statuses in one order, whichever finished first', async () => {
    const fx = writeFixture(
      { 'models/m.sql': 'select 1 as id', 'tests/nothing_wrong.sql': 'select 1 as id where false' },
      { threads: 1 },
    );
    fixtures.push(fx);
    const run = async () => {
      const { events } = await runFixture(await loadFixture(fx.dir), { command: 'build' });
      const started = events.flatMap((e) => (e.kind === 'node_started' ? [e.name] : []));
      const finished = events.find((e) => e.kind === 'run_finished');
      return { started, counts: finished?.kind === 'run_finished' ? Object.keys(finished.counts) : [] };
    };
    expect(await run()).toEqual({ started: ['m', 'nothing_wrong'], counts: ['success', 'pass'] });
    // The test took long last time: it starts (and passes) first now; the counts keep their order.
    writeFileSync(
      join(fx.dir, 'target', 'run_results.json'),
      JSON.stringify({
        results: [
          { unique_id: 'model.fixture.m', execution_time: 0.001 },
          { unique_id: 'test.fixture.nothing_wrong', execution_time: 2 },
        ],
      }),
    );
    expect(await run()).toEqual({ started: ['nothing_wrong', 'm'], counts: ['success', 'pass'] });
  });
});
