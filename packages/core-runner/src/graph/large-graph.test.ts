import { describe, expect, it } from 'vitest';
import { buildGraph } from './dag-builder.js';
import { node } from './fixture-nodes.js';
import type { GraphNode } from './graph-types.js';
import { RunScheduler } from './run-scheduler.js';
import { selectNodes } from './selector-evaluator.js';
import { executionBatches } from './topo-sorter.js';

/**
 * 10 sources → 1,000 staging models → 9,000 marts models in 9 tiers of 1,000, each marts model
 * reading two models of the tier above (fan-in and fan-out), plus a not_null test per staging model.
 */
function syntheticProject(): GraphNode[] {
  const nodes: GraphNode[] = [];
  for (let s = 0; s < 10; s++)
    nodes.push(node(`source.staging.raw.t${s}`, { name: `t${s}`, sourceName: 'raw' }));
  for (let i = 0; i < 1000; i++) {
    nodes.push(
      node(`model.staging.stg_${i}`, {
        fqn: ['staging', `group_${i % 10}`, `stg_${i}`],
        originalFilePath: `models/group_${i % 10}/stg_${i}.sql`,
        tags: i % 100 === 0 ? ['hourly'] : [],
        dependsOn: [`source.staging.raw.t${i % 10}`],
      }),
    );
    nodes.push(node(`test.staging.not_null_stg_${i}.h${i}`, { dependsOn: [`model.staging.stg_${i}`] }));
  }
  const idOf = (tier: number, i: number) =>
    tier === 0 ? `model.staging.stg_${i}` : `model.marts.m${tier}_${i}`;
  for (let tier = 1; tier <= 9; tier++) {
    for (let i = 0; i < 1000; i++) {
      nodes.push(
        node(idOf(tier, i), {
          fqn: ['marts', `tier_${tier}`, `m${tier}_${i}`],
          config: { materialized: tier === 9 ? 'table' : 'view' },
          dependsOn: [idOf(tier - 1, i), idOf(tier - 1, (i * 7 + 1) % 1000)],
        }),
      );
    }
  }
  return nodes;
}

describe('a 10,000-model graph', () => {
  const nodes = syntheticProject();
  const { graph, errors } = buildGraph(nodes);

  it('builds without errors and orders all nodes', () => {
    expect(errors).toEqual([]);
    expect(graph.nodes.size).toBe(11_010);
    expect(graph.order).toHaveLength(11_010);
    const position = new Map(graph.order.map((id, i) => [id, i]));
    for (const [id, parents] of graph.parents) {
      for (const parent of parents)
        expect(position.get(parent) as number).toBeLessThan(position.get(id) as number);
    }
    // sources, staging, 9 tiers; the tests run alongside tier 1.
    expect(executionBatches(graph)).toHaveLength(11);
  });

  it('selects with operators, methods and exclusions', () => {
    const downstream = selectNodes(graph, { select: ['stg_0+'] }).selected;
    // stg_0 feeds m1_0 and m1_857 ((857 * 7 + 1) % 1000 = 0), and so on down the tiers.
    expect(downstream.has('model.marts.m1_0')).toBe(true);
    expect(downstream.has('model.marts.m1_857')).toBe(true);
    expect(downstream.has('test.staging.not_null_stg_0.h0')).toBe(true);
    expect(downstream.has('model.staging.stg_1')).toBe(false);

    const upstream = selectNodes(graph, { select: ['+m9_0'] }).selected;
    expect(upstream.has('source.staging.raw.t0')).toBe(true);
    expect(
      [...upstream].every((id) => !id.startsWith('test.') || upstream.has(graph.parents.get(id)?.[0] ?? '')),
    ).toBe(true);

    const all = selectNodes(graph, {
      select: ['@tag:hourly'],
      exclude: ['config.materialized:table'],
    }).selected;
    expect([...all].some((id) => id.startsWith('model.marts.m9_'))).toBe(false);
    expect(all.has('model.staging.stg_100')).toBe(true);

    expect(selectNodes(graph, { select: ['marts.tier_9'] }).selected.size).toBe(1000);
    expect(selectNodes(graph, { select: ['1+m5_3'], indirectSelection: 'empty' }).selected.size).toBe(3);
  });

  it('schedules the whole run, skipping what sits below a failed staging model', () => {
    const scheduler = new RunScheduler(graph);
    let ran = 0;
    let skipped = 0;
    while (!scheduler.finished) {
      for (const id of scheduler.takeReady()) {
        ran++;
        if (id === 'model.staging.stg_0') skipped += scheduler.markFailed(id).length;
        else scheduler.markSucceeded(id);
      }
    }
    const below = selectNodes(graph, { select: ['stg_0+'] }).selected.size - 1;
    expect(skipped).toBe(below);
    expect(ran + skipped).toBe(graph.nodes.size);
  });
});
