import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParsedProject, SqlCompiler } from '../src/index.js';
import { type Fixture, loadAndRun, type RunOutcome, writeFixture } from './fixture-project.js';

const files = {
  'macros/double.sql': '{% macro double(x) %}({{ x }} * 2){% endmacro %}\n',
  'seeds/raw_items.csv': 'item_id,price\n1,10\n2,20\n',
  'models/_docs.md': '{% docs items_doc %}One row per item, priced in dollars.{% enddocs %}\n',
  'models/_models.yml': `version: 2
sources:
  - name: ext
    schema: main
    tables:
      - name: raw_items_ext
        identifier: raw_items
models:
  - name: items
    description: '{{ doc("items_doc") }}'
    columns:
      - name: item_id
        description: the item
        data_tests: [unique]
exposures:
  - name: items_dashboard
    type: dashboard
    owner:
      name: Ana
    depends_on:
      - ref('items')
`,
  'models/items.sql': `{{ config(materialized='table') }}\nselect item_id, {{ double('price') }} as price from {{ ref('raw_items') }}\n`,
  // The source is the seed's table: dbt's `-- depends_on:` idiom orders the two.
  'models/items_view.sql': `-- depends_on: {{ ref('raw_items') }}\nselect * from {{ source('ext', 'raw_items_ext') }}\n`,
};

type Json = Record<string, unknown>;
/** The parts of dbt's artifact shapes these tests read. */
interface ManifestJson {
  metadata: Json;
  nodes: Record<string, Json & { raw_code: string; compiled_code: string; checksum: { checksum: string } }>;
  sources: Record<string, Json>;
  exposures: Record<string, Json>;
  macros: Record<string, Json>;
  docs: Record<string, Json & { block_contents: string }>;
  parent_map: Record<string, string[]>;
  child_map: Record<string, string[]>;
}
interface RunResultsJson {
  metadata: Json & { dbt_schema_version: string };
  elapsed_time: unknown;
  args: Json;
  results: (Json & { unique_id: string; execution_time: unknown; message: unknown })[];
}

describe('artifacts of a build', () => {
  let fx: Fixture;
  let outcome: RunOutcome & { project: ParsedProject };
  let manifest: ManifestJson;
  let runResults: RunResultsJson;

  beforeAll(async () => {
    fx = writeFixture(files);
    outcome = await loadAndRun(fx.dir, { command: 'build' });
    manifest = JSON.parse(readFileSync(join(fx.dir, 'target/manifest.json'), 'utf8'));
    runResults = JSON.parse(readFileSync(join(fx.dir, 'target/run_results.json'), 'utf8'));
  });
  afterAll(() => fx.remove());

  it('the build succeeded', () => {
    expect(outcome.status).toEqual({
      raw_items: 'success',
      items: 'success',
      items_view: 'success',
      unique_items_item_id: 'pass',
    });
    expect(outcome.results.success).toBe(true);
  });

  it('target/manifest.json has dbt’s top-level sections and metadata', () => {
    expect(Object.keys(manifest)).toEqual(
      expect.arrayContaining([
        'metadata',
        'nodes',
        'sources',
        'exposures',
        'macros',
        'docs',
        'parent_map',
        'child_map',
        'disabled',
      ]),
    );
    expect(manifest.metadata.dbt_schema_version).toMatch(
      /^https:\/\/schemas\.getdbt\.com\/dbt\/manifest\/v\d+\.json$/,
    );
    expect(manifest.metadata.invocation_id).toBe(outcome.results.invocationId);
    expect(manifest.metadata.project_name).toBe('fixture');
  });

  it('manifest nodes carry dbt’s keys and values', () => {
    const items = manifest.nodes['model.fixture.items'];
    expect(items).toMatchObject({
      unique_id: 'model.fixture.items',
      resource_type: 'model',
      name: 'items',
      package_name: 'fixture',
      original_file_path: 'models/items.sql',
      fqn: ['fixture', 'items'],
      depends_on: { nodes: ['seed.fixture.raw_items'] },
      schema: 'main',
      alias: 'items',
      relation_name: '"main"."items"',
      description: 'One row per item, priced in dollars.',
      columns: { item_id: { name: 'item_id', description: 'the item' } },
      config: { materialized: 'table', enabled: true },
    });
    expect(items?.raw_code).toContain("{{ double('price') }}");
    expect(items?.compiled_code).toContain('(price * 2) as price');
    expect(items?.checksum.checksum).toMatch(/^[0-9a-f]{16,}$/);
    expect(manifest.nodes['seed.fixture.raw_items']?.resource_type).toBe('seed');
    const test = Object.values(manifest.nodes).find((n) => n.resource_type === 'test');
    expect(test).toMatchObject({
      test_metadata: { name: 'unique', kwargs: { column_name: 'item_id' } },
      attached_node: 'model.fixture.items',
      column_name: 'item_id',
    });
  });

  it('sources, exposures, macros, docs and the parent/child maps are present', () => {
    expect(manifest.sources['source.fixture.ext.raw_items_ext']).toMatchObject({
      resource_type: 'source',
      source_name: 'ext',
      identifier: 'raw_items',
      schema: 'main',
    });
    expect(manifest.exposures['exposure.fixture.items_dashboard']).toMatchObject({
      type: 'dashboard',
      owner: { name: 'Ana' },
      depends_on: { nodes: ['model.fixture.items'] },
    });
    expect(manifest.macros['macro.fixture.double']).toMatchObject({
      name: 'double',
      package_name: 'fixture',
      original_file_path: 'macros/double.sql',
    });
    expect(manifest.docs['doc.fixture.items_doc']?.block_contents).toBe(
      'One row per item, priced in dollars.',
    );
    expect([...(manifest.parent_map['model.fixture.items_view'] ?? [])].sort()).toEqual([
      'seed.fixture.raw_items',
      'source.fixture.ext.raw_items_ext',
    ]);
    expect(manifest.child_map['model.fixture.items']).toEqual(
      expect.arrayContaining(['exposure.fixture.items_dashboard']),
    );
  });

  it('target/run_results.json has a result per executed node with status, timing, rows and failures', () => {
    expect(runResults.metadata.dbt_schema_version).toMatch(/run-results\/v\d+\.json$/);
    expect(runResults.metadata.invocation_id).toBe(outcome.results.invocationId);
    expect(typeof runResults.elapsed_time).toBe('number');
    expect(runResults.args.which).toBe('build');
    const byId = Object.fromEntries(runResults.results.map((r) => [r.unique_id, r]));
    expect(Object.keys(byId).sort()).toEqual(outcome.results.results.map((r) => r.uniqueId).sort());
    expect(byId['model.fixture.items']).toMatchObject({
      status: 'success',
      adapter_response: { rows_affected: 2 },
    });
    expect(byId['seed.fixture.raw_items']).toMatchObject({
      status: 'success',
      adapter_response: { rows_affected: 2 },
    });
    const test = runResults.results.find((r) => r.unique_id.startsWith('test.'));
    expect(test).toMatchObject({ status: 'pass', failures: 0 });
    for (const result of runResults.results) {
      expect(typeof result.execution_time).toBe('number');
      expect(typeof result.message).toBe('string');
    }
  });

  it('compiled SQL is written under target/compiled/<package>/<path>, the SQL that ran under target/run/', () => {
    const compiler = new SqlCompiler(outcome.project);
    const compiled = join(fx.dir, 'target/compiled/fixture/models/items.sql');
    expect(readFileSync(compiled, 'utf8')).toBe(compiler.compile('model.fixture.items'));
    expect(existsSync(join(fx.dir, 'target/compiled/fixture/models/items_view.sql'))).toBe(true);
    const ran = readFileSync(join(fx.dir, 'target/run/fixture/models/items.sql'), 'utf8');
    expect(ran).toMatch(/create or replace table "wh"."main"."items"/);
    expect(ran).toContain('(price * 2) as price');
  });
});
