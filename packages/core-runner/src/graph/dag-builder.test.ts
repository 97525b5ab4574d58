import { describe, expect, it } from 'vitest';
import { buildGraph } from './dag-builder.js';
import { models, node, shopNodes } from './fixture-nodes.js';
import { GraphCycleError, GraphDuplicateNodeError, GraphMissingNodeError } from './graph-errors.js';
import { executionBatches } from './topo-sorter.js';

const cycleChains = (errors: readonly unknown[]) =>
  errors.filter((e): e is GraphCycleError => e instanceof GraphCycleError).map((e) => e.message);

describe('buildGraph', () => {
  it('indexes edges both ways and leaves disabled nodes and their tests out', () => {
    const { graph, errors } = buildGraph(shopNodes());
    expect(errors).toEqual([]);
    expect(graph.parents.get('model.marts.fct_orders')).toEqual([
      'model.staging.stg_shop__orders',
      'model.marts.dim_customers',
    ]);
    expect(graph.children.get('model.marts.dim_customers')).toEqual(
      expect.arrayContaining([
        'model.marts.fct_orders',
        'model.marts.customer_ltv',
        'test.marts.unique_dim_customers_customer_key.a1b2c3',
        'unit_test.marts.dim_customers.test_full_name',
      ]),
    );
    expect(graph.nodes.has('model.marts.legacy_report')).toBe(false);
    expect([...graph.disabled.keys()].sort()).toEqual([
      'model.marts.legacy_report',
      'test.marts.not_null_legacy_report_id.a1b2c3',
    ]);
    expect(graph.children.get('model.marts.fct_orders')).not.toContain('model.marts.legacy_report');
  });

  it('orders every node after all of its parents, independent of input order', () => {
    const nodes = shopNodes();
    const forward = buildGraph(nodes).graph.order;
    const backward = buildGraph([...nodes].reverse()).graph.order;
    expect(backward).toEqual(forward);
    const position = new Map(forward.map((id, i) => [id, i]));
    const { graph } = buildGraph(nodes);
    expect(forward).toHaveLength(graph.nodes.size);
    for (const [id, parents] of graph.parents) {
      for (const parent of parents) expect(position.get(parent)).toBeLessThan(position.get(id) as number);
    }
  });

  it('collects every dependency on a missing id, with a did-you-mean', () => {
    const { graph, errors } = buildGraph([
      node('model.marts.dim_customers'),
      node('model.marts.fct_orders', {
        dependsOn: ['model.marts.dim_custmers', 'model.marts.nothing_like_it'],
      }),
    ]);
    expect(errors).toHaveLength(2);
    const [typo, unknown] = errors as GraphMissingNodeError[];
    expect(typo).toBeInstanceOf(GraphMissingNodeError);
    expect(typo?.code).toBe('SSA-GRAPH-MISSING');
    expect(typo?.message).toBe(
      "'model.marts.fct_orders' depends on 'model.marts.dim_custmers' which is not in the graph",
    );
    expect(typo?.hint).toBe("did you mean 'model.marts.dim_customers'?");
    expect(typo?.file).toBe('marts/models/fct_orders.sql');
    expect(unknown?.missingId).toBe('model.marts.nothing_like_it');
    expect(unknown?.suggestions).toEqual([]);
    // The node stays in the graph, without the dangling edge.
    expect(graph.parents.get('model.marts.fct_orders')).toEqual([]);
  });

  it('reports a dependency on a disabled model, but not a test of one', () => {
    const { errors } = buildGraph([
      node('model.p.old', { config: { enabled: false } }),
      node('model.p.uses_old', { dependsOn: ['model.p.old'] }),
      node('test.p.not_null_old_id', { dependsOn: ['model.p.old'] }),
    ]);
    expect(errors.map((e) => e.message)).toEqual([
      "'model.p.uses_old' depends on 'model.p.old' which is disabled",
    ]);
  });

  it('keeps the first of two nodes with the same id and reports the second', () => {
    const { graph, errors } = buildGraph([
      node('model.p.a', { originalFilePath: 'models/a.sql' }),
      node('model.p.a', { originalFilePath: 'models/copy/a.sql' }),
    ]);
    expect(errors[0]).toBeInstanceOf(GraphDuplicateNodeError);
    expect(errors[0]?.code).toBe('SSA-GRAPH-DUPLICATE');
    expect(errors[0]?.file).toBe('p/models/copy/a.sql');
    expect(graph.nodes.get('model.p.a')?.originalFilePath).toBe('models/a.sql');
  });

  it('deduplicates repeated dependencies', () => {
    const { graph } = buildGraph(models({ a: [], b: ['a', 'a'] }));
    expect(graph.parents.get('model.p.b')).toEqual(['model.p.a']);
    expect(graph.children.get('model.p.a')).toEqual(['model.p.b']);
  });
});

describe('cycle detection', () => {
  it('prints the whole chain downstream, starting and ending at the same node', () => {
    // x is built from z, y from x, z from y.
    const { errors } = buildGraph(models({ x: ['z'], y: ['x'], z: ['y'], ok: [] }));
    expect(cycleChains(errors)).toEqual(['dependency cycle: model.p.x > model.p.y > model.p.z > model.p.x']);
    const error = errors[0] as GraphCycleError;
    expect(error.code).toBe('SSA-GRAPH-CYCLE');
    expect(error.cycle).toEqual(['model.p.x', 'model.p.y', 'model.p.z', 'model.p.x']);
    expect(error.hint).toContain('ref()');
  });

  it('reports every cycle: separate ones and two sharing a node', () => {
    const { errors } = buildGraph(
      models({
        a: ['b'],
        b: ['a'],
        hub: ['left', 'right'],
        left: ['hub'],
        right: ['hub'],
        self: ['self'],
        downstream: ['a'],
      }),
    );
    expect(cycleChains(errors).sort()).toEqual([
      'dependency cycle: model.p.a > model.p.b > model.p.a',
      'dependency cycle: model.p.hub > model.p.left > model.p.hub',
      'dependency cycle: model.p.hub > model.p.right > model.p.hub',
      'dependency cycle: model.p.self > model.p.self',
    ]);
  });

  it('still lists every node in the order when there is a cycle', () => {
    const { graph } = buildGraph(models({ root: [], a: ['root', 'b'], b: ['a'], c: ['b'] }));
    expect(graph.order[0]).toBe('model.p.root');
    expect([...graph.order].sort()).toEqual(['model.p.a', 'model.p.b', 'model.p.c', 'model.p.root']);
  });

  it('finds a cycle at the bottom of a 20,000-node chain without overflowing the stack', () => {
    const edges: Record<string, string[]> = { n0: ['n19999'] };
    for (let i = 1; i < 20_000; i++) edges[`n${i}`] = [`n${i - 1}`];
    const { errors } = buildGraph(models(edges));
    expect(errors).toHaveLength(1);
    expect((errors[0] as GraphCycleError).cycle).toHaveLength(20_001);
  });
});

describe('executionBatches', () => {
  it('groups nodes that can run together', () => {
    const { graph } = buildGraph(models({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'], e: [] }));
    expect(executionBatches(graph)).toEqual([
      ['model.p.a', 'model.p.e'],
      ['model.p.b', 'model.p.c'],
      ['model.p.d'],
    ]);
  });

  it('keeps order through unselected nodes in between', () => {
    const { graph } = buildGraph(models({ a: [], b: ['a'], c: ['b'], x: [] }));
    const batches = executionBatches(graph, new Set(['model.p.a', 'model.p.c', 'model.p.x']));
    expect(batches).toEqual([['model.p.a', 'model.p.x'], ['model.p.c']]);
  });
});
