import { describe, expect, it } from 'vitest';
import { ANCESTORS_OF_FCT, GENERIC_TESTS, shopSelection } from './fixture-nodes.js';

const { pick, all: ALL } = shopSelection();

describe('selection methods', () => {
  it('bare names, fqn prefixes with or without the layer, and name globs', () => {
    expect(pick('dim_customers')).toEqual(['dim_customers']);
    expect(pick('stg_*')).toEqual(['stg_shop__customers', 'stg_shop__orders']);
    expect(pick('marts.core')).toEqual(
      ['dim_customers', 'fct_orders', ...GENERIC_TESTS, 'test_full_name'].sort(),
    );
    expect(pick('core')).toEqual(pick('marts.core'));
    expect(pick('fqn:marts.core.fct_*')).toEqual(['fct_orders']);
    // A layer name is the first fqn part; sources and exposures have methods of their own.
    expect(pick('staging')).toEqual([
      'country_codes',
      'customers_snapshot',
      'stg_shop__customers',
      'stg_shop__orders',
    ]);
    expect(pick('fqn:*')).toEqual(
      ALL.filter((n) => !['raw.customers', 'raw.orders', 'weekly_dashboard'].includes(n)),
    );
  });

  it('tag: with globs', () => {
    expect(pick('tag:daily')).toEqual(['dim_customers', 'raw.orders', 'stg_shop__customers']);
    expect(pick('tag:fin*')).toEqual(['dim_customers', 'fct_orders']);
  });

  it('path: folders select everything under them, files match exactly, globs per segment', () => {
    expect(pick('path:models/core')).toEqual(pick('marts.core'));
    expect(pick('path:./models/core/')).toEqual(pick('path:models/core'));
    expect(pick('models/shop')).toEqual([
      'raw.customers',
      'raw.orders',
      'stg_shop__customers',
      'stg_shop__orders',
    ]);
    expect(pick('path:models/shop/stg_shop__orders.sql')).toEqual(['stg_shop__orders']);
    expect(pick('path:models/*/stg_*.sql')).toEqual(['stg_shop__customers', 'stg_shop__orders']);
    expect(pick('path:models/**/_*.yml')).toEqual(
      ['raw.customers', 'raw.orders', 'weekly_dashboard', ...GENERIC_TESTS, 'test_full_name'].sort(),
    );
    expect(pick('path:models/cor')).toEqual([]);
  });

  it('file: by file name or stem, also inferred from an extension', () => {
    expect(pick('file:dim_customers.sql')).toEqual(['dim_customers']);
    expect(pick('file:dim_customers')).toEqual(['dim_customers']);
    expect(pick('country_codes.csv')).toEqual(['country_codes']);
  });

  it('package: and its alias layer:', () => {
    expect(pick('package:intermediate')).toEqual(['int_orders_aggregated_by_customer']);
    expect(pick('layer:stag*')).toEqual(pick('package:staging'));
    expect(pick('package:staging')).toContain('raw.orders');
  });

  it('config.<key>: with nested keys, lists, booleans and case-insensitive severity', () => {
    expect(pick('config.materialized:table')).toEqual(['customer_ltv', 'dim_customers']);
    expect(pick('config.materialized:incremental')).toEqual(['fct_orders']);
    expect(pick('config.meta.owner:finance')).toEqual(['dim_customers']);
    expect(pick('config.unique_key:line_id')).toEqual(['fct_orders']);
    expect(pick('config.contract.enforced:true')).toEqual(['dim_customers']);
    expect(pick('config.severity:error')).toEqual(GENERIC_TESTS);
    expect(pick('config.strategy:check')).toEqual(['customers_snapshot']);
    expect(pick('config.materialized:tab*')).toEqual([]);
  });

  it('resource_type:', () => {
    expect(pick('resource_type:seed')).toEqual(['country_codes']);
    expect(pick('resource_type:unit_test')).toEqual(['test_full_name']);
    expect(pick('resource_type:source')).toEqual(['raw.customers', 'raw.orders']);
    expect(pick('resource_type:exposure resource_type:analysis')).toEqual([
      'revenue_by_month',
      'weekly_dashboard',
    ]);
  });

  it('source: by source, source.table, or layer.source.table, with globs', () => {
    expect(pick('source:raw')).toEqual(['raw.customers', 'raw.orders']);
    expect(pick('source:raw.orders')).toEqual(['raw.orders']);
    expect(pick('source:staging.raw.cust*')).toEqual(['raw.customers']);
    expect(pick('source:marts.raw.orders')).toEqual([]);
    expect(pick('source:raw.orders+1')).toEqual(['raw.orders', 'stg_shop__orders']);
  });

  it('exposure:, and everything an exposure needs with +', () => {
    expect(pick('exposure:weekly_dashboard')).toEqual(['weekly_dashboard']);
    expect(pick('exposure:marts.weekly_*')).toEqual(['weekly_dashboard']);
    expect(pick('+exposure:weekly_dashboard')).toEqual(
      [...ANCESTORS_OF_FCT, 'customer_ltv', 'fct_orders', 'weekly_dashboard'].sort(),
    );
  });

  it('test_type: and test_name:', () => {
    expect(pick('test_type:generic')).toEqual(GENERIC_TESTS);
    expect(pick('test_type:singular')).toEqual(['assert_positive_revenue']);
    expect(pick('test_type:unit')).toEqual(['test_full_name']);
    expect(pick('test_type:data')).toEqual(['assert_positive_revenue', ...GENERIC_TESTS]);
    expect(pick('test_name:not_null')).toEqual(['not_null_fct_orders_order_id']);
    expect(pick('test_name:rel*')).toEqual(['relationships_fct_orders_customer_key']);
    expect(pick('test_name:test_full_name')).toEqual(['test_full_name']);
  });
});
