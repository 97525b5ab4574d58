import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  buildManifest,
  coreRunnerVersion,
  defineLayer,
  defineProject,
  LAYER_SCHEMA_VERSION,
  type LayerFragmentHeader,
  LayerVersionError,
  runLayerCli,
  type TargetConfig,
} from '../src/index.js';
import { type Fixture, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
  vi.restoreAllMocks();
});

const documented = `version: 2
models:
  - name: orders
    description: One row per order.
    columns:
      - name: order_id
        description: The order.
`;

/** A built layer package `@shopsmart/fx` in a temp dir, with `fragment` as its dist/manifest.json when given. */
function builtLayer(version: string, fragment?: unknown): Fixture {
  const fx = writeFixture(
    { 'models/orders.sql': 'select 1 as order_id', 'models/_models.yml': documented },
    { bare: true },
  );
  fx.write({
    'package.json': JSON.stringify({
      name: '@shopsmart/fx',
      version,
      peerDependencies: { '@shopsmart/core-runner': '0.x' },
    }),
    'dist/index.js': `export const layer = Object.freeze({ name: 'fx', root: ${JSON.stringify(fx.dir)}, dependencies: [] });\n`,
    ...(fragment === undefined ? {} : { 'dist/manifest.json': JSON.stringify(fragment) }),
  });
  fixtures.push(fx);
  return fx;
}

function parse(dir: string) {
  const definition = defineProject({
    layers: [defineLayer({ name: 'fx', root: dir })],
    warehousePath: ':memory:',
  });
  return buildManifest({ definition, target: definition.targets.dev as TargetConfig });
}

function refusal(dir: string): LayerVersionError {
  try {
    parse(dir);
  } catch (error) {
    if (error instanceof LayerVersionError) return error;
    throw error;
  }
  throw new Error('the layer was accepted');
}

const header = (overrides: Partial<LayerFragmentHeader>): LayerFragmentHeader => ({
  schema_version: LAYER_SCHEMA_VERSION,
  name: 'fx',
  package: '@shopsmart/fx',
  package_version: '3.0.0',
  built_with: '9.2.0',
  core_runner: '9.x',
  ...overrides,
});

describe('layer schema version', () => {
  it('the layer build heads its fragment with the schema version and the core-runner it was built for', async () => {
    const fx = builtLayer('1.4.2');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await runLayerCli(['build', fx.dir])).toBe(0);
    const fragment = JSON.parse(readFileSync(join(fx.dir, 'dist', 'manifest.json'), 'utf8')) as {
      layer: LayerFragmentHeader;
    };
    expect(fragment.layer).toEqual({
      schema_version: LAYER_SCHEMA_VERSION,
      name: 'fx',
      package: '@shopsmart/fx',
      package_version: '1.4.2',
      built_with: coreRunnerVersion(),
      core_runner: '0.x',
    });
    expect(coreRunnerVersion()).toBe(
      (
        JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version,
    );
    // The fragment it wrote loads again.
    expect(Object.keys(parse(fx.dir).manifest.nodes)).toContain('model.fx.orders');
  });

  it('refuses a layer built for a newer layer schema, naming the package and the core-runner it needs', () => {
    const fx = builtLayer('3.0.0', {
      layer: header({ schema_version: LAYER_SCHEMA_VERSION + 1 }),
      nodes: {},
    });
    const error = refusal(fx.dir);
    expect(error.code).toBe('SSA-LAYER-010');
    expect(error.details).toMatchObject({
      packageName: '@shopsmart/fx',
      packageVersion: '3.0.0',
      schemaVersion: LAYER_SCHEMA_VERSION + 1,
      needs: '>=9.2.0',
    });
    expect(error.message).toBe(
      `layer package @shopsmart/fx@3.0.0 needs @shopsmart/core-runner >=9.2.0 (layer schema ${LAYER_SCHEMA_VERSION + 1}); ` +
        `this is @shopsmart/core-runner ${coreRunnerVersion()}, which reads layer schema ${LAYER_SCHEMA_VERSION}`,
    );
    expect(error.file).toBe(join(fx.dir, 'dist', 'manifest.json'));
    expect(error.hint).toContain("install @shopsmart/core-runner@'>=9.2.0'");
  });

  it('refuses a layer built before schema versions, naming the range its package declares', () => {
    const fx = builtLayer('0.0.9', { nodes: {}, metadata: {} });
    const error = refusal(fx.dir);
    expect(error.details.schemaVersion).toBeUndefined();
    expect(error.message).toContain(
      'layer package @shopsmart/fx@0.0.9 needs @shopsmart/core-runner 0.x (a fragment without a layer schema version)',
    );
  });

  it('refuses a layer whose schema this core-runner no longer reads, naming the range it was built for', () => {
    const fx = builtLayer('0.0.5', { layer: header({ schema_version: 0, core_runner: '^0.0.1' }) });
    expect(refusal(fx.dir).message).toMatch(
      /^layer package @shopsmart\/fx@3\.0\.0 needs @shopsmart\/core-runner \^0\.0\.1 \(layer schema 0\)/,
    );
  });

  it('loads a layer without a fragment (sources, not a built package) and one of the current schema', () => {
    expect(Object.keys(parse(builtLayer('1.0.0').dir).manifest.nodes)).toContain('model.fx.orders');
    const current = builtLayer('1.0.0', { layer: header({}) });
    expect(Object.keys(parse(current.dir).manifest.nodes)).toContain('model.fx.orders');
  });
});
