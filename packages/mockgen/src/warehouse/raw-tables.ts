/** The tables mockgen owns in the raw schema, in the order they are written. */
export const RAW_TABLES = [
  'products',
  'customers',
  'order_items',
  'orders',
  'order_status_history',
  'payments',
  'refunds',
  'marketing_touches',
  'web_events',
] as const;

export const METADATA_TABLES = ['_mockgen_edge_cases', '_mockgen_defects', '_mockgen_runs'] as const;

export type RawTable = (typeof RAW_TABLES)[number];
