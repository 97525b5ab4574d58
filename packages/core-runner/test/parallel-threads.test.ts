import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, ParsedProject } from '../src/index.js';
import {
  type Fixture,
  type FixtureFiles,
  loadAndRun,
  queryWarehouse,
  type RunOutcome,
  writeFixture,
} from './fixture-project.js';

/**
 * A fan-out / fan-in project: a seed, 4 staging models on it, 12 middle models each joining two
 * staging models, 3 marts over the middle ones, one final join. Data depends on every edge.
 */
function diamondProject(): FixtureFiles {
  const files: FixtureFiles = {
    'seeds/numbers.csv': `n\n${Array.from({ length: 50 }, (_, i) => i + 1).join('\n')}\n`,
  };
  for (let s = 0; s < 4; s++) {
    files[`models/staging/stg_${s}.sql`] =
      `select n, n * ${s + 2} as v from {{ ref('numbers') }} where n % ${s + 2} <> 0\n`;
  }
  for (let m = 0; m < 12; m++) {
    const [a, b] = [m % 4, (m + 1) % 4];
    files[`models/middle/mid_${m}.sql`] =
      `{{ config(materialized='table') }}\nselect a.n, a.v + coalesce(b.v, 0) + ${m} as v\nfrom {{ ref('stg_${a}') }} a left join {{ ref('stg_${b}') }} b using (n)\n`;
  }
  for (let k = 0; k < 3; k++) {
    const parts = [0, 1, 2, 3]
      .map((i) => `select n, v from {{ ref('mid_${k * 4 + i}') }}`)
      .join('\nunion all\n');
    files[`models/marts/mart_${k}.sql`] =
      `{{ config(materialized='table') }}\nselect n, sum(v) as v, count(*) as c from (\n${parts}\n) group by n\n`;
  }
  files['models/marts/final.sql'] =
    `{{ config(materialized='table') }}\nselect m0.n, m0.v + coalesce(m1.v, 0) + coalesce(m2.v, 0) as v\nfrom {{ ref('mart_0') }} m0\nleft join {{ ref('mart_1') }} m1 using (n)\nleft join {{ ref('mart_2') }} m2 using (n)\n`;
  return files;
}

const maxInFlight = (events: EngineEvent[]): number => {
  let current = 0;
  let max = 0;
  for (const event of events) {
    if (event.kind === 'node_started') max = Math.max(max, ++current);
    if (event.kind === 'node_finished') current--;
  }
  return max;
};

describe('threads', () => {
  const relations = [
    'numbers',
    ...[0, 1, 2, 3].map((s) => `stg_${s}`),
    ...Array.from({ length: 12 }, (_, m) => `mid_${m}`),
    'mart_0',
    'mart_1',
    'mart_2',
    'final',
  ];
  let serialFx: Fixture;
  let parallelFx: Fixture;
  let serial: RunOutcome & { project: ParsedProject };
  let parallel: RunOutcome & { project: ParsedProject };

  beforeAll(async () => {
    serialFx = writeFixture(diamondProject(), { threads: 1 });
    parallelFx = writeFixture(diamondProject(), { threads: 4 });
    serial = await loadAndRun(serialFx.dir, { command: 'build' });
    parallel = await loadAndRun(parallelFx.dir, { command: 'build' });
  });
  afterAll(() => {
    serialFx.remove();
    parallelFx.remove();
  });

  it('both runs succeed on every node', () => {
    expect(serial.results.success).toBe(true);
    expect(parallel.results.success).toBe(true);
    expect(serial.results.results).toHaveLength(relations.length);
    expect(parallel.results.results).toHaveLength(relations.length);
  });

  it('threads=1 runs one node at a time; threads=4 runs independent nodes at once, never more than 4', () => {
    expect(serial.results.args.threads).toBe(1);
    expect(maxInFlight(serial.events)).toBe(1);
    expect(parallel.results.args.threads).toBe(4);
    expect(maxInFlight(parallel.events)).toBe(4);
  });

  it('every node starts only after all of its parents finished', () => {
    for (const outcome of [serial, parallel]) {
      const finishedAt = new Map<string, number>();
      outcome.events.forEach((event, index) => {
        if (event.kind === 'node_finished') finishedAt.set(event.uniqueId, index);
      });
      const starts = outcome.events.flatMap((event, index) =>
        event.kind === 'node_started' ? [{ id: event.uniqueId, index }] : [],
      );
      expect(starts).toHaveLength(relations.length);
      for (const { id, index } of starts) {
        for (const parent of outcome.project.manifest.nodes[id]?.dependsOn ?? [])
          expect(finishedAt.get(parent)).toBeLessThan(index);
      }
    }
  });

  it('the parallel run produces exactly the same relations as the serial run', async () => {
    // Each warehouse is read on its own: its views name their own database ("wh"."main"."x", as
    // dbt-duckdb writes them), so they resolve only in a file opened under that name.
    const read = (warehouse: string, relation: string) =>
      queryWarehouse(warehouse, `select * from main.${relation} order by all`);
    for (const relation of relations) {
      const serialRows = await read(serialFx.warehouse, relation);
      expect(serialRows.length, relation).toBeGreaterThan(0);
      expect(await read(parallelFx.warehouse, relation), relation).toEqual(serialRows);
    }
  });

  it('select and exclude limit which nodes run; unselected parents are not rebuilt', async () => {
    const marts = await loadAndRun(parallelFx.dir, {
      command: 'run',
      select: ['mart_0+', 'tag:nothing'],
      exclude: ['final'],
    });
    expect(marts.status).toEqual({ mart_0: 'success' });
    const upstream = await loadAndRun(parallelFx.dir, { command: 'build', select: ['+stg_0'] });
    expect(upstream.status).toEqual({ numbers: 'success', stg_0: 'success' });
  });
});
