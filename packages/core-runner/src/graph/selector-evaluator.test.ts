import { describe, expect, it } from 'vitest';
import { ShopsmartErrorList } from '../errors.js';
import { ANCESTORS_OF_FCT, GENERIC_TESTS, shopSelection } from './fixture-nodes.js';
import type { PreviousResults, PreviousState, SelectOptions } from './graph-types.js';
import { SelectorContextError, SelectorMethodError } from './selector-errors.js';
import { selectNodes, validateSelection } from './selector-evaluator.js';

const { graph, short, pick, all: ALL } = shopSelection();

describe('graph operators', () => {
  it('+x selects all ancestors, N+x only N generations', () => {
    expect(pick('+fct_orders')).toEqual([...ANCESTORS_OF_FCT, 'fct_orders'].sort());
    expect(pick('1+fct_orders')).toEqual(['dim_customers', 'fct_orders', 'stg_shop__orders']);
    expect(pick('2+fct_orders')).toEqual(
      [
        'fct_orders',
        'stg_shop__orders',
        'dim_customers',
        'raw.orders',
        'stg_shop__customers',
        'int_orders_aggregated_by_customer',
        'country_codes',
      ].sort(),
    );
  });

  it('x+ selects all descendants (tests included), x+N only N generations', () => {
    expect(pick('dim_customers+')).toEqual(
      [
        'dim_customers',
        'fct_orders',
        'customer_ltv',
        'weekly_dashboard',
        'revenue_by_month',
        'assert_positive_revenue',
        ...GENERIC_TESTS,
        'test_full_name',
      ].sort(),
    );
    expect(pick('stg_shop__orders+1')).toEqual([
      'fct_orders',
      'int_orders_aggregated_by_customer',
      'stg_shop__orders',
    ]);
    expect(pick('2+int_orders_aggregated_by_customer+1')).toEqual(
      ['dim_customers', 'int_orders_aggregated_by_customer', 'raw.orders', 'stg_shop__orders'].sort(),
    );
  });

  it('@x adds the ancestors of every descendant', () => {
    // Everything downstream of stg_shop__orders needs the customer branch too; only the
    // snapshot is neither downstream nor needed.
    expect(pick('@stg_shop__orders')).toEqual(ALL.filter((n) => n !== 'customers_snapshot'));
    expect(pick('@customer_ltv')).toEqual(pick('+customer_ltv+'));
  });
});

describe('set operations', () => {
  it('space is a union, comma an intersection, across several --select values', () => {
    expect(pick('tag:daily,resource_type:model')).toEqual(['dim_customers', 'stg_shop__customers']);
    expect(pick('stg_shop__orders+,tag:finance')).toEqual(['dim_customers', 'fct_orders']);
    expect(pick(['tag:finance', 'seed.staging.nope country_codes'])).toEqual([
      'country_codes',
      'dim_customers',
      'fct_orders',
    ]);
  });

  it('--exclude subtracts, and takes the tests of excluded models with them', () => {
    const { selected } = selectNodes(graph, { select: ['marts'], exclude: ['fct_orders'] });
    expect([...selected].map(short).sort()).toEqual(
      [
        'customer_ltv',
        'dim_customers',
        'revenue_by_month',
        'test_full_name',
        'unique_dim_customers_customer_key',
      ].sort(),
    );
    // Excluding tag:finance takes dim_customers, fct_orders and every test on either.
    expect(pick('marts', { exclude: ['tag:finance', 'resource_type:analysis'] })).toEqual(['customer_ltv']);
    expect(pick('marts', { exclude: ['fct_orders test_type:unit'] })).toEqual([
      'customer_ltv',
      'dim_customers',
      'revenue_by_month',
      'unique_dim_customers_customer_key',
    ]);
  });

  it('selects every enabled node when nothing is selected', () => {
    expect(pick([])).toEqual(ALL);
    expect(pick([''])).toEqual(ALL);
    expect(selectNodes(graph).selected.size).toBe(graph.nodes.size);
    expect(selectNodes(graph, { exclude: ['staging'] }).selected.has('model.staging.stg_shop__orders')).toBe(
      false,
    );
    expect(ALL).not.toContain('legacy_report');
  });

  it('returns ids in graph order, parents first', () => {
    const ids = [...selectNodes(graph, { select: ['+customer_ltv'] }).selected];
    // Nine models, seeds and sources plus the five tests on dim_customers and fct_orders.
    expect(ids).toHaveLength(9 + 5);
    for (const [index, id] of ids.entries()) {
      for (const parent of graph.parents.get(id) ?? []) expect(ids.indexOf(parent)).toBeLessThan(index);
    }
  });
});

describe('indirect test selection', () => {
  const tests = (mode: SelectOptions['indirectSelection'], select: string[]) =>
    pick(select, { indirectSelection: mode }).filter((n) => !['dim_customers', 'fct_orders'].includes(n));

  it('eager (the default): a test comes along when any of its parents is selected', () => {
    const { selected } = selectNodes(graph, { select: ['fct_orders'] });
    expect([...selected].map(short).sort()).toEqual(
      [
        'assert_positive_revenue',
        'fct_orders',
        'not_null_fct_orders_order_id',
        'relationships_fct_orders_customer_key',
      ].sort(),
    );
  });

  it('cautious: only when all of its parents are selected, possibly by another union member', () => {
    expect(tests('cautious', ['fct_orders'])).toEqual([
      'assert_positive_revenue',
      'not_null_fct_orders_order_id',
    ]);
    expect(tests('cautious', ['fct_orders dim_customers'])).toEqual(
      ['assert_positive_revenue', ...GENERIC_TESTS, 'test_full_name'].sort(),
    );
  });

  it('buildable: when its other parents are upstream of the selection', () => {
    expect(tests('buildable', ['fct_orders'])).toEqual(
      [
        'assert_positive_revenue',
        'not_null_fct_orders_order_id',
        'relationships_fct_orders_customer_key',
      ].sort(),
    );
    expect(tests('buildable', ['dim_customers'])).toEqual([
      'test_full_name',
      'unique_dim_customers_customer_key',
    ]);
  });

  it('empty: tests run only when selected themselves', () => {
    expect(tests('empty', ['fct_orders'])).toEqual([]);
    expect(tests('empty', ['fct_orders test_type:singular'])).toEqual(['assert_positive_revenue']);
  });
});

describe('state: and result:', () => {
  const previous: PreviousState = {
    nodes: Object.fromEntries(
      [...graph.nodes.values()]
        .filter((n) => n.name !== 'customer_ltv')
        .map((n) => [n.uniqueId, { checksum: n.name === 'stg_shop__customers' ? 'old-sha' : n.checksum }]),
    ),
  };

  it('modified means new or a different checksum; new, old and unmodified too', () => {
    expect(pick('state:modified', { state: previous })).toEqual(['customer_ltv', 'stg_shop__customers']);
    expect(pick('state:new', { state: previous })).toEqual(['customer_ltv']);
    expect(pick('state:old', { state: previous })).toEqual(ALL.filter((n) => n !== 'customer_ltv'));
    expect(pick('state:unmodified', { state: previous })).toEqual(
      ALL.filter((n) => n !== 'customer_ltv' && n !== 'stg_shop__customers'),
    );
  });

  it('state:modified+ adds everything downstream', () => {
    expect(pick('state:modified+', { state: previous })).toEqual(
      [
        'stg_shop__customers',
        'customers_snapshot',
        'dim_customers',
        'fct_orders',
        'customer_ltv',
        'weekly_dashboard',
        'revenue_by_month',
        'assert_positive_revenue',
        ...GENERIC_TESTS,
        'test_full_name',
      ].sort(),
    );
  });

  it('result: selects by the last run status', () => {
    const results: PreviousResults = {
      results: [
        { uniqueId: 'model.marts.fct_orders', status: 'error' },
        { uniqueId: 'model.marts.dim_customers', status: 'success' },
        { uniqueId: 'test.marts.not_null_fct_orders_order_id.a1b2c3', status: 'fail' },
      ],
    };
    expect(pick('result:error', { results })).toEqual(['fct_orders']);
    expect(pick('result:fail', { results })).toEqual(['not_null_fct_orders_order_id']);
    expect(pick('result:error+', { results })).toContain('weekly_dashboard');
    expect(pick('result:error+', { results })).not.toContain('dim_customers');
    expect(pick('result:error result:fail,resource_type:test', { results })).toEqual([
      'fct_orders',
      'not_null_fct_orders_order_id',
    ]);
  });

  it('without a manifest or results, says what is missing', () => {
    expect(() => selectNodes(graph, { select: ['state:modified+'] })).toThrow(SelectorContextError);
    expect(() => selectNodes(graph, { select: ['state:modified+'] })).toThrow(
      'selector "state:modified+" needs a saved manifest to compare against',
    );
    expect(() => selectNodes(graph, { exclude: ['result:error'] })).toThrow("needs the last run's results");
  });
});

describe('problems', () => {
  it('warns, rather than fails, for each selector that matches nothing', () => {
    const result = selectNodes(graph, {
      select: ['nonexistent tag:daily', 'legacy_report'],
      exclude: ['nothing_here'],
    });
    expect(result.warnings).toEqual([
      "The selection criterion 'nonexistent' does not match any enabled nodes",
      "The selection criterion 'legacy_report' does not match any enabled nodes",
      "The selection criterion 'nothing_here' does not match any enabled nodes",
    ]);
    // tag:daily still selects its three nodes, plus the tests on dim_customers (eager).
    expect(result.selected.size).toBe(6);
    expect(selectNodes(graph, { select: ['nope'] })).toEqual({
      selected: new Set(),
      warnings: ["The selection criterion 'nope' does not match any enabled nodes"],
    });
  });

  it('throws an unknown method as a typed error, and several problems together', () => {
    expect(() => selectNodes(graph, { select: ['tga:daily'] })).toThrow(SelectorMethodError);
    let thrown: unknown;
    try {
      selectNodes(graph, { select: ['tga:daily'], exclude: ['state:new'] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ShopsmartErrorList);
    expect((thrown as ShopsmartErrorList).errors.map((e) => e.code)).toEqual([
      'SSA-SELECT-METHOD',
      'SSA-SELECT-CONTEXT',
    ]);
    expect(validateSelection({ select: ['tag:x', 'a,,b', 'materialized:table'] }).map((e) => e.code)).toEqual(
      ['SSA-SELECT-SYNTAX', 'SSA-SELECT-METHOD'],
    );
  });
});
