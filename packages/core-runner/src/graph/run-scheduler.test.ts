import { describe, expect, it } from 'vitest';
import { InternalError } from '../errors.js';
import { linkBuildOrder } from './build-order-linker.js';
import { buildGraph } from './dag-builder.js';
import { models, shopNodes } from './fixture-nodes.js';
import type { Graph } from './graph-types.js';
import { readyNodes } from './ready-nodes.js';
import { RunScheduler } from './run-scheduler.js';

const m = (name: string) => `model.p.${name}`;
const names = (ids: readonly string[]) => ids.map((id) => id.replace('model.p.', '')).sort();

//   a ─→ b ─→ d        x ─→ y
//   └──→ c ─→ e
//        d ─→ e
const { graph } = buildGraph(models({ a: [], b: ['a'], c: ['a'], d: ['b'], e: ['c', 'd'], x: [], y: ['x'] }));

/** Runs the scheduler to the end, failing the given nodes; returns what ran, in which order, and what was skipped. */
function simulate(g: Graph, fail: string[], selected?: string[]) {
  const scheduler = new RunScheduler(g, selected);
  const started: string[] = [];
  const skipped: string[] = [];
  while (!scheduler.finished) {
    expect(scheduler.stalled).toBe(false);
    const batch = scheduler.takeReady();
    started.push(...batch);
    for (const id of batch) {
      if (fail.includes(id)) skipped.push(...scheduler.markFailed(id).map((s) => `${s.uniqueId}<${s.cause}`));
      else scheduler.markSucceeded(id);
    }
  }
  return { started, skipped };
}

describe('RunScheduler', () => {
  it('hands out roots first and children once all their parents succeeded', () => {
    const scheduler = new RunScheduler(graph);
    expect(names(scheduler.takeReady())).toEqual(['a', 'x']);
    expect(scheduler.takeReady()).toEqual([]);
    scheduler.markSucceeded(m('a'));
    expect(names(scheduler.takeReady())).toEqual(['b', 'c']);
    scheduler.markSucceeded(m('c'));
    expect(scheduler.takeReady()).toEqual([]); // e still waits for d
    scheduler.markSucceeded(m('b'));
    expect(names(scheduler.takeReady())).toEqual(['d']);
    scheduler.markSucceeded(m('d'));
    expect(names(scheduler.takeReady())).toEqual(['e']);
    expect(scheduler.remaining).toBe(3);
  });

  it('skips every descendant of a failed node while the independent branch runs on', () => {
    const scheduler = new RunScheduler(graph);
    scheduler.takeReady(); // a, x
    scheduler.markSucceeded(m('a'));
    scheduler.takeReady(); // b, c
    const skipped = scheduler.markFailed(m('b'));
    expect(skipped.map((s) => [names([s.uniqueId])[0], s.cause])).toEqual(
      expect.arrayContaining([
        ['d', m('b')],
        ['e', m('b')],
      ]),
    );
    expect(skipped).toHaveLength(2);
    // c is still running and x's branch is unaffected.
    scheduler.markSucceeded(m('c'));
    expect(scheduler.takeReady()).toEqual([]);
    scheduler.markSucceeded(m('x'));
    expect(names(scheduler.takeReady())).toEqual(['y']);
    scheduler.markSucceeded(m('y'));
    expect(scheduler.finished).toBe(true);
  });

  it('reports a node skipped once even when two of its ancestors fail', () => {
    const { skipped } = simulate(graph, [m('b'), m('c')]);
    expect(skipped.sort()).toEqual([`${m('d')}<${m('b')}`, `${m('e')}<${m('b')}`]);
  });

  it('lets unselected nodes pass order and failure through', () => {
    // Only a, d and e selected: d still waits for a (through b), and fails if a does.
    expect(simulate(graph, [], [m('a'), m('d'), m('e')]).started).toEqual([m('a'), m('d'), m('e')]);
    const failed = simulate(graph, [m('a')], [m('a'), m('d'), m('e')]);
    expect(failed.started).toEqual([m('a')]);
    expect(failed.skipped.sort()).toEqual([`${m('d')}<${m('a')}`, `${m('e')}<${m('a')}`]);
  });

  it('refuses an outcome for a node that was never started', () => {
    const scheduler = new RunScheduler(graph);
    expect(() => scheduler.markSucceeded(m('e'))).toThrow(InternalError);
  });

  it('stalls instead of looping forever on a cycle', () => {
    const cyclic = buildGraph(models({ a: [], b: ['a', 'c'], c: ['b'] })).graph;
    const scheduler = new RunScheduler(cyclic);
    scheduler.markSucceeded((scheduler.takeReady()[0] as string) ?? '');
    expect(scheduler.takeReady()).toEqual([]);
    expect(scheduler.stalled).toBe(true);
    expect(scheduler.finished).toBe(false);
  });
});

describe('readyNodes', () => {
  it('computes the same answer from completed and failed ids alone', () => {
    expect(names(readyNodes(graph, { succeeded: new Set(), failed: new Set() }).ready)).toEqual(['a', 'x']);
    const state = readyNodes(graph, {
      succeeded: new Set([m('a'), m('x')]),
      failed: new Set([m('b')]),
      running: new Set([m('y')]),
    });
    expect(names(state.ready)).toEqual(['c']);
    expect(state.skipped).toEqual([
      { uniqueId: m('d'), cause: m('b') },
      { uniqueId: m('e'), cause: m('b') },
    ]);
  });

  it('passes through unselected nodes', () => {
    const selected = new Set([m('a'), m('e')]);
    expect(names(readyNodes(graph, { selected, succeeded: new Set(), failed: new Set() }).ready)).toEqual([
      'a',
    ]);
    expect(
      names(readyNodes(graph, { selected, succeeded: new Set([m('a')]), failed: new Set() }).ready),
    ).toEqual(['e']);
    expect(readyNodes(graph, { selected, succeeded: new Set(), failed: new Set([m('a')]) }).skipped).toEqual([
      { uniqueId: m('e'), cause: m('a') },
    ]);
  });
});

describe('linkBuildOrder', () => {
  const shop = buildGraph(shopNodes()).graph;
  const built = linkBuildOrder(shop);

  it('makes a data test gate the models built from what it tests', () => {
    expect(built.parents.get('model.marts.fct_orders')).toContain(
      'test.marts.unique_dim_customers_customer_key.a1b2c3',
    );
    expect(built.parents.get('model.marts.customer_ltv')).toEqual(
      expect.arrayContaining([
        'test.marts.not_null_fct_orders_order_id.a1b2c3',
        'test.marts.assert_positive_revenue',
      ]),
    );
    // The relationships test needs fct_orders and dim_customers: it gates what is below both.
    expect(built.parents.get('model.marts.customer_ltv')).toContain(
      'test.marts.relationships_fct_orders_customer_key.a1b2c3',
    );
    expect(built.parents.get('model.marts.fct_orders')).not.toContain(
      'test.marts.relationships_fct_orders_customer_key.a1b2c3',
    );
    // The input graph is untouched.
    expect(shop.parents.get('model.marts.customer_ltv')).toEqual([
      'model.marts.fct_orders',
      'model.marts.dim_customers',
    ]);
  });

  it('runs a unit test before its model, after the model inputs', () => {
    const unit = 'unit_test.marts.dim_customers.test_full_name';
    expect(built.parents.get('model.marts.dim_customers')).toContain(unit);
    expect(built.parents.get(unit)).toEqual(shop.parents.get('model.marts.dim_customers'));
    expect(built.order.indexOf(unit)).toBeLessThan(built.order.indexOf('model.marts.dim_customers'));
  });

  it('skips downstream models when a test fails during build', () => {
    const failing = 'test.marts.not_null_fct_orders_order_id.a1b2c3';
    const { skipped } = simulate(built, [failing]);
    expect(skipped.map((s) => s.split('<')[0]).sort()).toEqual([
      'analysis.marts.revenue_by_month',
      'exposure.marts.weekly_dashboard',
      'model.marts.customer_ltv',
    ]);
  });
});
