// Test-only helpers: small inline node lists for the graph tests. Not exported from index.ts.
import { buildGraph } from './dag-builder.js';
import type { GraphNode, ResourceType, SelectOptions } from './graph-types.js';
import { selectNodes } from './selector-evaluator.js';

/**
 * A node with defaults derived from its uniqueId (`<type>.<package>.<name>[.<hash>]`), so a test
 * only spells out what it is about.
 *
 * @example
 * node('model.marts.dim_customers', { dependsOn: ['model.staging.stg_shop__customers'] });
 */
export function node(uniqueId: string, overrides: Partial<GraphNode> = {}): GraphNode {
  const [type, packageName = 'p', name = uniqueId] = uniqueId.split('.');
  const resourceType = type as ResourceType;
  const folder = resourceType === 'seed' ? 'seeds' : resourceType === 'test' ? 'tests' : 'models';
  return {
    uniqueId,
    resourceType,
    name,
    packageName,
    originalFilePath: `${folder}/${name}.sql`,
    fqn: [packageName, name],
    tags: [],
    config: {},
    dependsOn: [],
    checksum: `sha-${name}`,
    ...overrides,
  };
}

/** A chain of models `model.p.n0 → n1 → …` plus any extra edges, for graph-shape tests. */
export function models(edges: Record<string, string[]>): GraphNode[] {
  return Object.entries(edges).map(([name, deps]) =>
    node(`model.p.${name}`, { dependsOn: deps.map((d) => `model.p.${d}`) }),
  );
}

/**
 * A small shop project across three layers: sources → staging → intermediate → marts, with a
 * seed, a snapshot, generic, singular and unit tests, an exposure, an analysis and a disabled model.
 */
export function shopNodes(): GraphNode[] {
  const src = 'source.staging.raw';
  return [
    node(`${src}.customers`, {
      name: 'customers',
      sourceName: 'raw',
      originalFilePath: 'models/shop/_shop__sources.yml',
      fqn: ['staging', 'shop', 'raw', 'customers'],
    }),
    node(`${src}.orders`, {
      name: 'orders',
      sourceName: 'raw',
      originalFilePath: 'models/shop/_shop__sources.yml',
      fqn: ['staging', 'shop', 'raw', 'orders'],
      tags: ['daily'],
    }),
    node('seed.staging.country_codes', {
      originalFilePath: 'seeds/country_codes.csv',
      fqn: ['staging', 'country_codes'],
    }),
    node('model.staging.stg_shop__customers', {
      originalFilePath: 'models/shop/stg_shop__customers.sql',
      fqn: ['staging', 'shop', 'stg_shop__customers'],
      config: { materialized: 'view' },
      tags: ['daily'],
      dependsOn: [`${src}.customers`],
    }),
    node('model.staging.stg_shop__orders', {
      originalFilePath: 'models/shop/stg_shop__orders.sql',
      fqn: ['staging', 'shop', 'stg_shop__orders'],
      config: { materialized: 'view' },
      dependsOn: [`${src}.orders`],
    }),
    node('snapshot.staging.customers_snapshot', {
      originalFilePath: 'snapshots/customers_snapshot.sql',
      fqn: ['staging', 'customers_snapshot'],
      config: { materialized: 'snapshot', strategy: 'check' },
      dependsOn: ['model.staging.stg_shop__customers'],
    }),
    node('model.intermediate.int_orders_aggregated_by_customer', {
      originalFilePath: 'models/orders/int_orders_aggregated_by_customer.sql',
      fqn: ['intermediate', 'orders', 'int_orders_aggregated_by_customer'],
      config: { materialized: 'ephemeral' },
      dependsOn: ['model.staging.stg_shop__orders'],
    }),
    node('model.marts.dim_customers', {
      originalFilePath: 'models/core/dim_customers.sql',
      fqn: ['marts', 'core', 'dim_customers'],
      config: { materialized: 'table', meta: { owner: 'finance' }, contract: { enforced: true } },
      tags: ['daily', 'finance'],
      dependsOn: [
        'model.staging.stg_shop__customers',
        'model.intermediate.int_orders_aggregated_by_customer',
        'seed.staging.country_codes',
      ],
    }),
    node('model.marts.fct_orders', {
      originalFilePath: 'models/core/fct_orders.sql',
      fqn: ['marts', 'core', 'fct_orders'],
      config: { materialized: 'incremental', unique_key: ['order_id', 'line_id'] },
      tags: ['finance'],
      dependsOn: ['model.staging.stg_shop__orders', 'model.marts.dim_customers'],
    }),
    node('model.marts.customer_ltv', {
      originalFilePath: 'models/analytics/customer_ltv.sql',
      fqn: ['marts', 'analytics', 'customer_ltv'],
      config: { materialized: 'table' },
      dependsOn: ['model.marts.fct_orders', 'model.marts.dim_customers'],
    }),
    node('model.marts.legacy_report', {
      originalFilePath: 'models/analytics/legacy_report.sql',
      fqn: ['marts', 'analytics', 'legacy_report'],
      config: { enabled: false },
      dependsOn: ['model.marts.fct_orders'],
    }),
    node('exposure.marts.weekly_dashboard', {
      originalFilePath: 'models/analytics/_analytics__exposures.yml',
      fqn: ['marts', 'analytics', 'weekly_dashboard'],
      dependsOn: ['model.marts.customer_ltv'],
    }),
    node('analysis.marts.revenue_by_month', {
      originalFilePath: 'analyses/revenue_by_month.sql',
      fqn: ['marts', 'analysis', 'revenue_by_month'],
      dependsOn: ['model.marts.fct_orders'],
    }),
    genericTest('unique_dim_customers_customer_key', 'unique', ['model.marts.dim_customers']),
    genericTest('not_null_fct_orders_order_id', 'not_null', ['model.marts.fct_orders']),
    genericTest('relationships_fct_orders_customer_key', 'relationships', [
      'model.marts.fct_orders',
      'model.marts.dim_customers',
    ]),
    genericTest('not_null_legacy_report_id', 'not_null', ['model.marts.legacy_report']),
    node('test.marts.assert_positive_revenue', {
      originalFilePath: 'tests/assert_positive_revenue.sql',
      fqn: ['marts', 'assert_positive_revenue'],
      config: { severity: 'warn' },
      dependsOn: ['model.marts.fct_orders'],
    }),
    node('unit_test.marts.dim_customers.test_full_name', {
      name: 'test_full_name',
      originalFilePath: 'models/core/_core__models.yml',
      fqn: ['marts', 'core', 'dim_customers', 'test_full_name'],
      dependsOn: ['model.marts.dim_customers'],
      attachedNode: 'model.marts.dim_customers',
    }),
  ];
}

function genericTest(name: string, testName: string, dependsOn: string[]): GraphNode {
  return node(`test.marts.${name}.a1b2c3`, {
    name,
    originalFilePath: 'models/core/_core__models.yml',
    fqn: ['marts', 'core', name],
    config: { severity: 'ERROR' },
    dependsOn,
    attachedNode: dependsOn[0] as string,
    testMetadata: { name: testName, kwargs: { column_name: 'id' } },
  });
}

/**
 * The shop graph with helpers that print selections as short names (`raw.orders` for sources),
 * with indirect selection off unless a test asks for it.
 */
export function shopSelection() {
  const { graph } = buildGraph(shopNodes());
  const short = (id: string): string => {
    const found = graph.nodes.get(id);
    if (!found) throw new Error(`not in graph: ${id}`);
    return found.sourceName ? `${found.sourceName}.${found.name}` : found.name;
  };
  const pick = (select: string | string[], options: SelectOptions = {}): string[] => {
    const { selected } = selectNodes(graph, {
      indirectSelection: 'empty',
      ...options,
      select: typeof select === 'string' ? [select] : select,
    });
    return [...selected].map(short).sort();
  };
  const all = [...graph.nodes.keys()].map(short).sort();
  return { graph, short, pick, all };
}

export const GENERIC_TESTS = [
  'not_null_fct_orders_order_id',
  'relationships_fct_orders_customer_key',
  'unique_dim_customers_customer_key',
];

/** Everything upstream of fct_orders, as short names. */
export const ANCESTORS_OF_FCT = [
  'country_codes',
  'dim_customers',
  'int_orders_aggregated_by_customer',
  'raw.customers',
  'raw.orders',
  'stg_shop__customers',
  'stg_shop__orders',
];
