import { describe, expect, it } from 'vitest';
import type { DocNode } from './docs-model.js';
import { SearchIndex } from './search-index.js';

const node = (id: string, columns: string[] = []): DocNode =>
  ({
    id,
    resourceType: id.split('.')[0],
    name: id.split('.')[2],
    label: id.split('.')[2],
    description: '',
    tags: [],
    searchColumns: columns,
  }) as unknown as DocNode;

describe('SearchIndex', () => {
  it('ranks the model holding a column above tests whose dbt names contain it', () => {
    const index = new SearchIndex([
      node('test.p.unique_stg_orders_order_status_change_id.df5c757ec1'),
      node('test.p.not_null_stg_orders_order_status_change_id.a1b2c3d4e5'),
      node('model.p.stg_orders', ['order_status_change_id', 'order_id']),
    ]);
    const hits = index.search('order_status_change_id');
    expect(hits.map((h) => h.node.id)).toEqual([
      'model.p.stg_orders',
      'test.p.unique_stg_orders_order_status_change_id.df5c757ec1',
      'test.p.not_null_stg_orders_order_status_change_id.a1b2c3d4e5',
    ]);
    expect(hits[0]?.reason).toBe('column order_status_change_id');
  });
});
