import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildManifest, readProject } from '../src/index.js';
import { parseCodeFileName } from '../src/project/parse-cache.js';
import { type Fixture, writeFixture } from './fixture-project.js';

/**
 * The parse cache keeps each node once: the layers in its code file name the nodes and macros the
 * manifest holds by id, and a cache hit gives back layers equal to a full parse's, sharing the
 * manifest's node objects as a full parse does.
 */
const files = {
  'dbt_project.yml':
    'name: layered\nprofile: layered\nmodels:\n  layered:\n    off:\n      +enabled: false\n',
  'macros/cents.sql': '{% macro cents(column) -%}\n({{ column }} / 100.0)\n{%- endmacro %}\n',
  'seeds/raw_orders.csv': 'id,amount_cents\n1,100\n',
  'models/stg_orders.sql': "select id, {{ cents('amount_cents') }} as amount from {{ ref('raw_orders') }}\n",
  'models/off/disabled_model.sql': 'select 1 as id\n',
  'models/_models.yml': 'version: 2\nmodels:\n  - name: stg_orders\n    description: orders\n',
  'analyses/look.sql': "select * from {{ ref('stg_orders') }}\n",
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
    runStartedAt: new Date('2026-03-01T10:00:00.000Z'),
    partialParse: cache,
  });
}

describe('parse cache layers', () => {
  it('stores the manifest’s nodes once and restores layers equal to a full parse’s', async () => {
    const fx = writeFixture(files, { name: 'layered' });
    fixtures.push(fx);
    await parse(fx.dir, true);
    const hit = await parse(fx.dir, true);
    expect(hit.parseCache?.status).toBe('hit');
    const full = await parse(fx.dir, false);
    expect(JSON.stringify(hit.layers)).toBe(JSON.stringify(full.layers));
    const [layer] = hit.layers;
    expect(layer?.nodes.length).toBeGreaterThanOrEqual(4);
    for (const node of layer?.nodes ?? []) {
      const inManifest = hit.manifest.nodes[node.uniqueId];
      // a disabled node is not in the manifest: it is kept whole
      if (node.uniqueId.endsWith('disabled_model')) expect(inManifest).toBeUndefined();
      else expect(inManifest).toBe(node);
    }
    for (const macro of layer?.macros ?? []) expect(hit.manifest.macros[macro.uniqueId]).toBe(macro);
    // the code file holds the model's SQL once (in the manifest's file, not again in the layers)
    const code = readFileSync(join(fx.dir, 'target', parseCodeFileName), 'latin1');
    expect(code).not.toContain("{{ cents('amount_cents') }}");
  });
});
