import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildManifest,
  defineLayer,
  type ParsedProject,
  readProject,
  SqlCompiler,
  type TargetConfig,
} from '../src/index.js';
import {
  caught,
  type Fixture,
  loadFixture,
  queryWarehouse,
  runFixture,
  writeFixture,
} from './fixture-project.js';

const shopsmartYml = (warehouse: string, layers: string) => `name: layered
layers:
${layers}
target: dev
targets:
  dev:
    type: duckdb
    path: ${warehouse}
    threads: 2
`;

const baseLayer = {
  'layers/base/macros/money.sql': `{% macro cents_to_dollars(column) -%}
({{ column }} / 100.0)::decimal(18,2)
{%- endmacro %}

{% macro label() %}'base'{% endmacro %}
`,
  'layers/base/models/orders.sql': 'select 1 as order_id, 1250 as amount_cents union all select 2, 99\n',
};

const midLayer = {
  // mid overrides base's label(); its own models see the override.
  'layers/mid/macros/label.sql': `{% macro label() %}'mid'{% endmacro %}\n`,
  'layers/mid/dbt_project.yml': 'name: mid\nvars:\n  mid_factor: 3\n',
  'layers/mid/models/mid_orders.sql': `select
    order_id,
    {{ cents_to_dollars('amount_cents') }} as amount,
    {{ label() }} as label,
    {{ var('mid_factor') }} as factor
from {{ ref('base', 'orders') }}
`,
};

const topLayer = {
  'layers/top/models/top_orders.sql': `select
    order_id,
    amount,
    {{ base.label() }} as base_label,
    {{ label() }} as nearest_label,
    {{ base.cents_to_dollars('amount_cents') }} as amount_again
from {{ ref('mid_orders') }}
join {{ ref('orders') }} using (order_id)
`,
};

describe('layers composed by shopsmart.yml', () => {
  let fx: Fixture;
  let project: ParsedProject;

  beforeAll(async () => {
    fx = writeFixture({ ...baseLayer, ...midLayer, ...topLayer }, { bare: true });
    fx.write({
      'shopsmart.yml': shopsmartYml(
        fx.warehouse,
        `  - name: base
    path: layers/base
  - name: mid
    path: layers/mid
    depends_on: [base]
  - name: top
    path: layers/top
    depends_on: [mid, base]`,
      ),
    });
    project = await loadFixture(fx.dir);
  });
  afterAll(() => fx.remove());

  it('loads every layer, names nodes by layer, and records layer dependencies', () => {
    expect(Object.keys(project.manifest.nodes).sort()).toEqual([
      'model.base.orders',
      'model.mid.mid_orders',
      'model.top.top_orders',
    ]);
    expect(project.manifest.metadata.layers.map((l) => [l.name, l.dependencies])).toEqual([
      ['base', []],
      ['mid', ['base']],
      ['top', ['mid', 'base']],
    ]);
    expect(project.manifest.nodes['model.top.top_orders']?.dependsOn.sort()).toEqual([
      'model.base.orders',
      'model.mid.mid_orders',
    ]);
  });

  it('ref(package, model) and ref(model) resolve across layers; macros from dependencies are callable bare and as package.macro()', () => {
    const compiler = new SqlCompiler(project);
    const mid = compiler.compile('model.mid.mid_orders');
    expect(mid).toContain('from "wh"."main"."orders"');
    expect(mid).toContain('(amount_cents / 100.0)::decimal(18,2) as amount');
    expect(mid).toContain(`'mid' as label`);
    expect(mid).toContain('3 as factor');
    const top = compiler.compile('model.top.top_orders');
    expect(top).toContain(`'base' as base_label`);
    expect(top).toContain(`'mid' as nearest_label`);
    expect(top).toContain('(amount_cents / 100.0)::decimal(18,2) as amount_again');
    expect(top).toContain('from "wh"."main"."mid_orders"');
  });

  it('builds the composed DAG on DuckDB in dependency order', async () => {
    const { results, events } = await runFixture(project, { command: 'build' });
    expect(results.success).toBe(true);
    const started = events.filter((e) => e.kind === 'node_started').map((e) => (e as { name: string }).name);
    expect(started).toEqual(['orders', 'mid_orders', 'top_orders']);
    const rows = await queryWarehouse(fx.warehouse, 'select * from main.top_orders order by order_id');
    expect(rows).toEqual([
      { order_id: 1, amount: 12.5, base_label: 'base', nearest_label: 'mid', amount_again: 12.5 },
      { order_id: 2, amount: 0.99, base_label: 'base', nearest_label: 'mid', amount_again: 0.99 },
    ]);
  });

  it('a layer made with defineLayer() builds the same manifest as the shopsmart.yml path layers', async () => {
    const definition = await readProject(fx.dir);
    const base = defineLayer({ name: 'base', root: join(fx.dir, 'layers/base') });
    const mid = defineLayer({ name: 'mid', root: join(fx.dir, 'layers/mid'), dependencies: [base] });
    const top = defineLayer({ name: 'top', root: join(fx.dir, 'layers/top'), dependencies: [mid, base] });
    const viaCode = buildManifest({
      definition: { ...definition, layers: [top] },
      target: definition.targets[definition.defaultTarget] as TargetConfig,
    });
    expect(Object.keys(viaCode.manifest.nodes).sort()).toEqual(Object.keys(project.manifest.nodes).sort());
    expect(new SqlCompiler(viaCode).compile('model.top.top_orders')).toBe(
      new SqlCompiler(project).compile('model.top.top_orders'),
    );
  });
});

describe('layer visibility', () => {
  it('a ref into a layer that is not a dependency is an error naming both layers', async () => {
    const fx = writeFixture(
      {
        ...baseLayer,
        'layers/side/models/side_model.sql': 'select 1 as x\n',
        'layers/top/models/top_orders.sql': `select * from {{ ref('side_model') }}\n`,
      },
      { bare: true },
    );
    fx.write({
      'shopsmart.yml': shopsmartYml(
        fx.warehouse,
        `  - name: base
    path: layers/base
  - name: side
    path: layers/side
  - name: top
    path: layers/top
    depends_on: [base]`,
      ),
    });
    try {
      const error = await caught(() => loadFixture(fx.dir));
      expect(error.code).toBe('SSA-REF-403');
      expect(error.message).toContain("layer 'side'");
      expect(error.message).toContain("layer 'top'");
      expect(error.file).toBe('layers/top/models/top_orders.sql');
    } finally {
      fx.remove();
    }
  });

  it('a macro of a layer that is not a dependency cannot be called', async () => {
    const fx = writeFixture(
      {
        'layers/side/macros/side_macro.sql': `{% macro side_macro() %}42{% endmacro %}\n`,
        'layers/top/models/top_model.sql': 'select {{ side_macro() }} as x\n',
      },
      { bare: true },
    );
    fx.write({
      'shopsmart.yml': shopsmartYml(
        fx.warehouse,
        `  - name: side
    path: layers/side
  - name: top
    path: layers/top`,
      ),
    });
    try {
      const error = await caught(() => loadFixture(fx.dir));
      expect(error.code).toBe('SSA-JINJA-001');
      expect(error.file).toBe('layers/top/models/top_model.sql');
    } finally {
      fx.remove();
    }
  });

  it('a depends_on naming an unknown layer is a config error pointing into shopsmart.yml', async () => {
    const fx = writeFixture({ 'layers/top/models/a.sql': 'select 1 as x\n' }, { bare: true });
    fx.write({
      'shopsmart.yml': shopsmartYml(
        fx.warehouse,
        `  - name: top\n    path: layers/top\n    depends_on: [bsae]`,
      ),
    });
    try {
      const error = await caught(() => readProject(fx.dir));
      expect(error.code).toBe('SSA-PROJECT-008');
      expect(error.file).toBe('shopsmart.yml');
      expect(error.line).toBe(3);
    } finally {
      fx.remove();
    }
  });
});
