import { describe, expect, it } from 'vitest';
import { buildModel, type RawDocsData } from '../docs-model.js';
import { upstreamFailures } from './upstream-status.js';

const node = (id: string, parents: string[] = [], extra: Record<string, unknown> = {}) => ({
  unique_id: id,
  resource_type: id.split('.')[0] as string,
  name: id.split('.')[2] as string,
  package_name: 'p',
  original_file_path: 'x',
  fqn: [],
  tags: [],
  config: {},
  depends_on: { nodes: parents },
  ...extra,
});

function model(statuses: Record<string, string>) {
  const nodes = [
    node('model.p.raw'),
    node('model.p.mart', ['model.p.raw']),
    node('model.p.other'),
    node('test.p.not_null_raw_id', ['model.p.raw'], { attached_node: 'model.p.raw' }),
    node('test.p.unique_mart_id', ['model.p.mart'], { attached_node: 'model.p.mart' }),
    node('test.p.unique_other_id', ['model.p.other'], { attached_node: 'model.p.other' }),
  ];
  const exposure = node('exposure.p.board', ['model.p.mart']);
  const childMap: Record<string, string[]> = {};
  for (const n of [...nodes, exposure])
    for (const parent of n.depends_on.nodes) childMap[parent] = [...(childMap[parent] ?? []), n.unique_id];
  const data = {
    manifest: {
      metadata: { project_name: 'p', generated_at: 'now' },
      nodes: Object.fromEntries(nodes.map((n) => [n.unique_id, n])),
      sources: {},
      exposures: { [exposure.unique_id]: exposure },
      macros: {},
      docs: {},
      parent_map: {},
      child_map: childMap,
    },
    catalog: null,
    runResults: {
      results: Object.entries(statuses).map(([unique_id, status]) => ({
        unique_id,
        status,
        execution_time: 0,
      })),
    },
    sources: null,
  } as unknown as RawDocsData;
  return buildModel(data);
}

describe('upstreamFailures', () => {
  it('names every upstream node whose tests failed, errored or were skipped, or which itself did', () => {
    const failures = upstreamFailures(
      model({
        'test.p.not_null_raw_id': 'fail',
        'test.p.unique_mart_id': 'pass',
        'test.p.unique_other_id': 'fail',
        'model.p.mart': 'skipped',
      }),
      'exposure.p.board',
    );
    expect(failures.map((f) => [f.node.id, f.status, f.tests.map((t) => t.id)])).toEqual([
      ['model.p.mart', 'skipped', []],
      ['model.p.raw', undefined, ['test.p.not_null_raw_id']],
    ]);
  });

  it('is empty when everything upstream passed or only warned', () => {
    const all = model({
      'test.p.not_null_raw_id': 'warn',
      'test.p.unique_mart_id': 'pass',
      'model.p.mart': 'success',
    });
    expect(upstreamFailures(all, 'exposure.p.board')).toEqual([]);
  });
});
