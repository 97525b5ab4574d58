import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParsedProject, SqlCompiler } from '../src/index.js';
import {
  caught,
  type Fixture,
  loadFixture,
  queryWarehouse,
  runFixture,
  writeFixture,
} from './fixture-project.js';

/** A quality-like layer answering to dbt_utils and dbt_expectations, and a layer using it. */
const shopsmartYml = (warehouse: string, qualityEntry: string, extraLayers = '') => `name: aliased
layers:
${qualityEntry}
  - name: shop
    path: layers/shop
    depends_on: [quality]
${extraLayers}
target: dev
targets:
  dev:
    type: duckdb
    path: ${warehouse}
    threads: 2
`;

const qualityAnsweringToPackages = `  - name: quality
    path: layers/quality
    package_aliases: [dbt_utils, dbt_expectations]`;

const qualityLayer = {
  'layers/quality/tests/generic/accepted_range.sql': `{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
select * from {{ model }}
where {{ column_name }} {{ '<' if inclusive else '<=' }} {{ min_value }}
{% endtest %}
`,
  'layers/quality/tests/generic/expect_column_values_to_be_between.sql': `{% test expect_column_values_to_be_between(model, column_name, min_value, max_value) %}
select * from {{ model }} where {{ column_name }} not between {{ min_value }} and {{ max_value }}
{% endtest %}
`,
  'layers/quality/tests/generic/expression_is_true.sql': `{% test expression_is_true(model, expression, column_name=none) %}
select * from {{ model }} where not ({{ column_name ~ ' ' if column_name else '' }}{{ expression }})
{% endtest %}
`,
  'layers/quality/macros/keys.sql': `{% macro generate_surrogate_key(field_list) -%}
md5(concat_ws('-', {% for field in field_list %}cast({{ field }} as varchar){{ ', ' if not loop.last }}{% endfor %}))
{%- endmacro %}

{% macro star(from, except=[]) -%}
{%- for column in adapter.get_columns_in_relation(from) if column.name not in except -%}
"{{ column.name }}"{{ ', ' if not loop.last }}
{%- endfor -%}
{%- endmacro %}
`,
};

const shopLayer = {
  'layers/shop/models/orders.sql': `select 1 as order_id, 'a' as sku, 10 as quantity
union all select 2, 'b', 0
`,
  'layers/shop/models/order_keys.sql': `select
    {{ dbt_utils.generate_surrogate_key(['order_id', 'sku']) }} as order_key,
    {{ dbt_utils.star(ref('orders'), except=['sku']) }}
from {{ ref('orders') }}
`,
  'layers/shop/models/_models.yml': `version: 2
models:
  - name: orders
    data_tests:
      - dbt_utils.expression_is_true:
          expression: order_id > 0
    columns:
      - name: quantity
        data_tests:
          - dbt_utils.accepted_range:
              min_value: 0
              inclusive: false
              config: {severity: warn}
          - dbt_expectations.expect_column_values_to_be_between:
              min_value: 0
              max_value: 100
          - accepted_range:
              min_value: 0
`,
};

describe('package aliases: a layer answering to dbt_utils and dbt_expectations', () => {
  let fx: Fixture;
  let project: ParsedProject;

  beforeAll(async () => {
    fx = writeFixture({ ...qualityLayer, ...shopLayer }, { bare: true });
    fx.write({ 'shopsmart.yml': shopsmartYml(fx.warehouse, qualityAnsweringToPackages) });
    project = await loadFixture(fx.dir);
  });
  afterAll(() => fx.remove());

  it('YAML tests written as dbt_utils.x and dbt_expectations.x become tests with dbt names and namespaces', () => {
    const tests = Object.values(project.manifest.nodes).filter((n) => n.resourceType === 'test');
    expect(tests.map((t) => [t.name, t.testMetadata?.namespace ?? null]).sort()).toEqual([
      ['accepted_range_orders_quantity__0', null],
      ['dbt_expectations_expect_column_values_to_be_between_orders_quantity__100__0', 'dbt_expectations'],
      ['dbt_utils_accepted_range_orders_quantity__False__0', 'dbt_utils'],
      ['dbt_utils_expression_is_true_orders_order_id_0', 'dbt_utils'],
    ]);
  });

  it('the aliased tests compile to the layer’s own generic tests', () => {
    const compiler = new SqlCompiler(project);
    const byName = (prefix: string) =>
      Object.values(project.manifest.nodes).find((n) => n.name.startsWith(prefix))?.uniqueId as string;
    expect(compiler.compile(byName('dbt_utils_accepted_range'))).toContain('where quantity <= 0');
    expect(compiler.compile(byName('dbt_expectations_expect'))).toContain(
      'where quantity not between 0 and 100',
    );
    expect(compiler.compile(byName('dbt_utils_expression_is_true'))).toContain('where not (order_id > 0)');
  });

  it('macros called as dbt_utils.x() in a model run the layer’s macros, and the aliased tests run', async () => {
    const { results, status } = await runFixture(project, { command: 'build' });
    expect(status).toMatchObject({
      orders: 'success',
      order_keys: 'success',
      dbt_utils_accepted_range_orders_quantity__False__0: 'warn',
      dbt_expectations_expect_column_values_to_be_between_orders_quantity__100__0: 'pass',
      accepted_range_orders_quantity__0: 'pass',
      dbt_utils_expression_is_true_orders_order_id_0: 'pass',
    });
    expect(results.results.find((r) => r.uniqueId.includes('dbt_utils_accepted_range'))?.failures).toBe(1);
    const rows = await queryWarehouse(fx.warehouse, 'select * from main.order_keys order by order_id');
    expect(rows).toEqual([
      { order_key: expect.stringMatching(/^[0-9a-f]{32}$/), order_id: 1, quantity: 10 },
      { order_key: expect.stringMatching(/^[0-9a-f]{32}$/), order_id: 2, quantity: 0 },
    ]);
    const [check] = await queryWarehouse(
      fx.warehouse,
      "select md5(concat_ws('-', '1', 'a')) as expected from (select 1)",
    );
    expect(rows[0]?.order_key).toBe(check?.expected);
  });

  it('without the declaration, dbt_utils.x is an error that says which names exist', async () => {
    const bare = writeFixture({ ...qualityLayer, ...shopLayer }, { bare: true });
    try {
      bare.write({
        'shopsmart.yml': shopsmartYml(bare.warehouse, '  - name: quality\n    path: layers/quality'),
      });
      const error = await caught(() => loadFixture(bare.dir));
      const problems = (error as unknown as { errors: { file: string; hint: string }[] }).errors;
      expect(problems.map((p) => [p.file, p.hint])).toContainEqual([
        'layers/shop/models/order_keys.sql',
        expect.stringContaining(
          "'dbt_utils' is neither a layer nor a package alias (layers: shopsmart, quality, shop)",
        ),
      ]);
      expect(problems.find((p) => p.file === 'layers/shop/models/_models.yml')?.hint).toContain(
        'package_aliases (shopsmart.yml)',
      );
    } finally {
      bare.remove();
    }
  });
});

describe('package aliases: precedence and misspellings', () => {
  it('a layer really named dbt_utils wins over a layer answering to that name', async () => {
    const fx = writeFixture(
      {
        ...qualityLayer,
        ...shopLayer,
        'layers/dbt_utils/macros/keys.sql': `{% macro generate_surrogate_key(field_list) %}'from the real package'{% endmacro %}
{% macro star(from, except=[]) %}*{% endmacro %}
`,
      },
      { bare: true },
    );
    try {
      fx.write({
        'shopsmart.yml': shopsmartYml(fx.warehouse, qualityAnsweringToPackages)
          .replace('    depends_on: [quality]', '    depends_on: [quality, dbt_utils]')
          .replace('layers:\n', 'layers:\n  - name: dbt_utils\n    path: layers/dbt_utils\n'),
        'layers/shop/models/_models.yml': 'version: 2\n',
      });
      const project = await loadFixture(fx.dir);
      expect(project.engine.packageAliasesSeenFrom('shop')).toEqual(
        new Map([['dbt_expectations', 'quality']]),
      );
      expect(new SqlCompiler(project).compile('model.shop.order_keys')).toContain(
        "'from the real package' as order_key",
      );
    } finally {
      fx.remove();
    }
  });

  it('a misspelt test under an alias names the layer behind it and the closest test', async () => {
    const fx = writeFixture(
      {
        ...qualityLayer,
        'layers/shop/models/orders.sql': 'select 1 as quantity\n',
        'layers/shop/models/_models.yml': `version: 2
models:
  - name: orders
    columns:
      - name: quantity
        data_tests:
          - dbt_utils.acepted_range: {min_value: 0}
`,
      },
      { bare: true },
    );
    try {
      fx.write({ 'shopsmart.yml': shopsmartYml(fx.warehouse, qualityAnsweringToPackages) });
      const error = await caught(() => loadFixture(fx.dir));
      expect(error).toMatchObject({ code: 'SSA-JINJA-001', file: 'layers/shop/models/_models.yml' });
      expect(error.hint).toBe(
        "'dbt_utils' (layer 'quality') has no generic test 'acepted_range'; did you mean 'accepted_range'?",
      );
    } finally {
      fx.remove();
    }
  });
});
