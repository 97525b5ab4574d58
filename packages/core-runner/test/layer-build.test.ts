import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runLayerCli } from '../src/index.js';
import { type Fixture, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
  vi.restoreAllMocks();
});

/** A built layer package in a temp dir: package.json, dist/index.js exporting the layer, its folders. */
function layerPackage(
  files: Record<string, string>,
  dependencies: string[] = [],
  layerDependencies = '[]',
): Fixture {
  const fx = writeFixture(files, { bare: true });
  fx.write({
    'package.json': JSON.stringify({
      name: '@shopsmart/fx',
      dependencies: Object.fromEntries(dependencies.map((d) => [d, 'workspace:^'])),
    }),
    'dist/index.js': `export const layer = Object.freeze({ name: 'fx', root: ${JSON.stringify(fx.dir)}, dependencies: ${layerDependencies} });\n`,
  });
  fixtures.push(fx);
  return fx;
}

async function build(dir: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  const code = await runLayerCli(['build', dir]);
  vi.restoreAllMocks();
  return { code, out, err };
}

const documented = `version: 2
models:
  - name: orders
    description: One row per order.
    columns:
      - name: order_id
        description: The order.
        data_tests: [unique]
`;

describe('shopsmart-layer build (the build step of a layer package)', () => {
  it('validates a documented layer and writes its manifest fragment', async () => {
    const fx = layerPackage({
      'models/orders.sql': 'select 1 as order_id',
      'models/_models.yml': documented,
    });
    const { code, out } = await build(fx.dir);
    expect(code).toBe(0);
    expect(out).toBe('layer ok: 2 nodes → dist/manifest.json\n');
    const fragment = JSON.parse(readFileSync(join(fx.dir, 'dist', 'manifest.json'), 'utf8')) as {
      nodes: Record<string, unknown>;
    };
    expect(Object.keys(fragment.nodes).sort()).toEqual([
      'model.fx.orders',
      expect.stringMatching(/^test\.fx\.unique_orders_order_id\./),
    ]);
  });

  it('fails on every documentation gap at once, naming file and line', async () => {
    const fx = layerPackage({
      'models/orders.sql': 'select 1 as order_id, 2 as amount',
      'models/customers.sql': 'select 1 as customer_id',
      'models/_models.yml': `${documented}      - name: amount\n`,
    });
    const { code, err } = await build(fx.dir);
    expect(code).toBe(1);
    expect(err).toContain('2 problems found');
    expect(err).toContain(
      "[SSA-DOCS-004] models/_models.yml:3: column 'amount' of 'orders' has no description",
    );
    expect(err).toContain("[SSA-DOCS-001] models/customers.sql: model 'customers' is not documented");
    expect(existsSync(join(fx.dir, 'dist', 'manifest.json'))).toBe(false);
  });

  it('fails on an unknown ref and on a layer dependency missing from package.json', async () => {
    const broken = layerPackage({
      'models/orders.sql': "select * from {{ ref('custmers') }}",
      'models/_models.yml': documented.replace('One row', 'Orders; one row'),
    });
    const refError = await build(broken.dir);
    expect(refError.code).toBe(1);
    expect(refError.err).toMatch(/\[SSA-REF-404\] models\/orders\.sql: 'orders' refers to 'custmers'/);

    const base = layerPackage({ 'models/base.sql': 'select 1 as id' });
    const undeclared = layerPackage(
      { 'models/orders.sql': 'select 1 as order_id', 'models/_models.yml': documented },
      [],
      `[Object.freeze({ name: 'base', root: ${JSON.stringify(base.dir)}, dependencies: [] })]`,
    );
    const depError = await build(undeclared.dir);
    expect(depError.code).toBe(1);
    expect(depError.err).toContain(
      "[SSA-LAYER-003] package.json: layer 'fx' uses layer 'base' but package.json does not depend on it",
    );
  });
});
