import { serialize } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { buildManifest, readProject } from '../src/index.js';
import { type Fixture, writeFixture } from './fixture-project.js';

/**
 * A manifest restored from the parse cache makes its parent and child maps when first read: they
 * must be what a full parse gives, in the same key order, and behave as plain data properties.
 */
const files = {
  'seeds/raw_orders.csv': 'id,amount\n1,100\n',
  'models/stg_orders.sql': "select * from {{ ref('raw_orders') }}\n",
  'models/orders.sql': "select * from {{ ref('stg_orders') }}\n",
  'models/_models.yml': `version: 2
models:
  - name: orders
    columns:
      - name: id
        data_tests: [unique]
`,
};

const fixtures: Fixture[] = [];
afterAll(() => {
  for (const f of fixtures) f.remove();
});

async function parse(dir: string, cache: boolean) {
  const definition = await readProject(dir, undefined, { partialParse: cache });
  const target = definition.targets[definition.defaultTarget];
  if (!target) throw new Error('no target');
  return buildManifest({
    definition,
    target,
    invocationId: 'inv',
    runStartedAt: new Date(Date.parse('2026-03-01T10:00:00.000Z')),
    partialParse: cache,
  });
}

describe('parse cache: the manifest’s parent and child maps', () => {
  it('are a full parse’s maps, in its key order, made once when first read', async () => {
    const fx = writeFixture(files, { name: 'maps' });
    fixtures.push(fx);
    await parse(fx.dir, true);
    const hit = await parse(fx.dir, true);
    expect(hit.parseCache?.status).toBe('hit');
    const full = await parse(fx.dir, false);
    const { manifest } = hit;
    expect(Object.keys(manifest)).toEqual(Object.keys(full.manifest));
    const strip = (m: typeof manifest) => ({ ...m, metadata: { ...m.metadata, generatedAt: '' } });
    expect(JSON.stringify(strip(manifest))).toBe(JSON.stringify(strip(full.manifest)));
    expect(manifest.childMap['model.maps.stg_orders']).toEqual(['model.maps.orders']);
    expect(manifest.parentMap['model.maps.orders']).toEqual(['model.maps.stg_orders']);
    // once read, both are plain data: the same objects every time, and serialisable as data
    expect(Object.getOwnPropertyDescriptor(manifest, 'parentMap')).toHaveProperty('writable', true);
    expect(Object.getOwnPropertyDescriptor(manifest, 'childMap')).toHaveProperty('writable', true);
    expect(manifest.parentMap).toBe(manifest.parentMap);
    expect(serialize(manifest).length).toBeGreaterThan(0);
  });

  it('can be replaced before they are read, the other still made from the nodes', async () => {
    const fx = writeFixture(files, { name: 'maps' });
    fixtures.push(fx);
    await parse(fx.dir, true);
    const { manifest } = await parse(fx.dir, true);
    manifest.childMap = { replaced: [] };
    expect(manifest.childMap).toEqual({ replaced: [] });
    expect(manifest.parentMap['model.maps.orders']).toEqual(['model.maps.stg_orders']);
    expect(Object.keys(manifest).indexOf('childMap')).toBe(Object.keys(manifest).indexOf('parentMap') + 1);
  });
});
