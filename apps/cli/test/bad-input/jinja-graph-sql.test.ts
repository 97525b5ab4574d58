import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type BadInputCase, buildBase, checkCase, type WarehouseShape } from './bad-input-harness.js';

const model = (name: string, sql: string) => ({ [`models/${name}.sql`]: sql });
const macro = (text: string) => ({ 'macros/cents.sql': text });

const jinja: BadInputCase[] = [
  {
    name: 'macro file missing endmacro',
    files: macro('{% macro cents(col) %}({{ col }} * 100)\n'),
    args: ['build'],
    code: 2,
    says: ['shop:macros/cents.sql:1', '{% endmacro %}'],
  },
  {
    name: 'second macro file missing endmacro',
    files: { 'macros/other.sql': '\n\n{% macro other() %}1\n' },
    args: ['build'],
    code: 2,
    says: ['shop:macros/other.sql:3'],
  },
  {
    name: 'macro with an empty if',
    files: macro('{% macro cents(col) %}\n{% if %}x{% endif %}\n{% endmacro %}\n'),
    args: ['build'],
    code: 2,
    says: ['shop:macros/cents.sql:2'],
  },
  {
    name: 'macro with endif but no if',
    files: macro('{% macro cents(col) %}\n({{ col }})\n{% endif %}\n{% endmacro %}\n'),
    args: ['build'],
    code: 2,
    says: ['shop:macros/cents.sql:3'],
  },
  {
    name: 'macro called with too many arguments',
    files: model('stg_customers', "select {{ cents('id', 2) }} as c from {{ source('raw', 'customers') }}\n"),
    args: ['build'],
    code: 2,
    says: ['models/stg_customers.sql:1', 'macro cents(col)', 'shop:macros/cents.sql:1', 'too many arguments'],
  },
  {
    name: 'macro called with an unknown keyword',
    files: model(
      'stg_customers',
      "select {{ cents(column='id') }} as c from {{ source('raw', 'customers') }}\n",
    ),
    args: ['build'],
    code: 2,
    says: ['macro cents(col)', 'column'],
  },
  {
    name: 'macro calling another with a wrong argument',
    files: {
      'macros/wrap.sql': "{% macro wrap() %}\n{{ cents('a', 'b') }}\n{% endmacro %}\n",
      ...model('w', 'select {{ wrap() }} as x\n'),
    },
    args: ['build'],
    code: 2,
    says: ['shop:macros/wrap.sql:2', 'macro cents(col)'],
  },
  {
    name: 'unknown macro with did-you-mean',
    files: model('w', "select {{ cent('id') }} as x\n"),
    args: ['build'],
    code: 2,
    says: ['models/w.sql:1', "did you mean 'cents'?"],
  },
  {
    name: 'model with unclosed expression',
    files: model('w', 'select {{ 1 + }} as x\n'),
    args: ['build'],
    code: 2,
    says: ['models/w.sql:1'],
  },
  {
    name: 'model with unclosed if',
    files: model('w', 'select 1 as x\n{% if true %}\n'),
    args: ['build'],
    code: 2,
    says: ['models/w.sql'],
  },
  {
    name: 'model with for over an undefined name',
    files: model('w', 'select 1 as x\n{% for c in nothing_here %}{{ c }}{% endfor %}\n'),
    args: ['build'],
    code: 2,
    says: ['models/w.sql:2'],
  },
  {
    name: 'raise_compiler_error in a model',
    files: model('w', "{{ exceptions.raise_compiler_error('stop here') }}\nselect 1 as x\n"),
    args: ['build'],
    code: 2,
    says: ['models/w.sql', 'stop here'],
  },
  {
    name: 'var that is not defined',
    files: model('w', "select {{ var('not_defined_var') }} as x\n"),
    args: ['build'],
    code: 2,
    says: ['models/w.sql', 'not_defined_var'],
  },
  {
    name: 'env_var not set in a model',
    files: model('w', "select '{{ env_var('SSA_BAD_INPUT_MODEL_VAR') }}' as x\n"),
    args: ['build'],
    code: 2,
    says: ['models/w.sql', 'SSA_BAD_INPUT_MODEL_VAR'],
  },
];

const graph: BadInputCase[] = [
  {
    name: 'ref to a model that does not exist',
    files: model('w', "select * from {{ ref('stg_customer') }}\n"),
    args: ['build'],
    code: 2,
    says: ['models/w.sql', "'stg_customer'", "did you mean 'stg_customers'?"],
  },
  {
    name: 'two-model cycle',
    files: {
      ...model('a', "select * from {{ ref('b') }}\n"),
      ...model('b', "select * from {{ ref('a') }}\n"),
    },
    args: ['build'],
    code: 2,
    says: [/cycle/i, 'a', 'b'],
  },
  {
    name: 'self reference',
    files: model('a', "select * from {{ ref('a') }}\n"),
    args: ['build'],
    code: 2,
    says: [/cycle|itself/i, 'a'],
  },
  {
    name: 'three-model cycle',
    files: {
      ...model('a', "select * from {{ ref('c') }}\n"),
      ...model('b', "select * from {{ ref('a') }}\n"),
      ...model('c', "select * from {{ ref('b') }}\n"),
    },
    args: ['build'],
    code: 2,
    says: [/cycle/i],
  },
  {
    name: 'two models with the same name',
    files: { 'models/sub/stg_customers.sql': 'select 1 as customer_id\n' },
    args: ['build'],
    code: 2,
    says: ["'stg_customers'"],
  },
  {
    name: 'selector matching nothing',
    args: ['build', '-s', 'no_such_model'],
    code: 0,
    says: ['no_such_model'],
  },
  { name: 'selector with a bad method', args: ['build', '-s', 'tga:nightly'], code: 2, says: ['tga'] },
  { name: 'selector with a dangling operator', args: ['build', '-s', '+'], code: 2, says: ['+'] },
  {
    name: 'ref with too many arguments',
    files: model('w', "select * from {{ ref('a', 'b', 'c') }}\n"),
    args: ['build'],
    code: 2,
    says: ['models/w.sql'],
  },
];

const sql: BadInputCase[] = [
  {
    name: 'SQL syntax error in a view',
    files: model(
      'customer_count',
      "{{ config(materialized='table') }}\nselect count(* as n from {{ ref('stg_customers') }}\n",
    ),
    args: ['build'],
    code: 1,
    says: ['customer_count', 'target/run/shop/models/customer_count.sql'],
  },
  {
    name: 'unknown column in a table model',
    files: model(
      'customer_count',
      "{{ config(materialized='table') }}\nselect count(nope) as n from {{ ref('stg_customers') }}\n",
    ),
    args: ['build'],
    code: 1,
    says: ['customer_count', 'nope'],
  },
  {
    name: 'unknown table in raw SQL',
    files: model('w', 'select * from raw.no_such_table\n'),
    args: ['build'],
    code: 1,
    says: ['models/w.sql', 'no_such_table'],
  },
  {
    name: 'run-time conversion error',
    files: model('w', "{{ config(materialized='table') }}\nselect cast('abc' as integer) as x\n"),
    args: ['build'],
    code: 1,
    says: ['models/w.sql', 'abc'],
  },
  {
    name: 'failing data test',
    files: { 'tests/no_customers.sql': "select * from {{ ref('stg_customers') }} where customer_id > 0\n" },
    args: ['build'],
    code: 1,
    says: ['no_customers'],
  },
  {
    name: 'singular test with SQL error',
    files: { 'tests/broken.sql': "select nope from {{ ref('stg_customers') }}\n" },
    args: ['test'],
    code: 1,
    says: ['broken', 'nope'],
  },
  {
    name: 'unknown materialization',
    files: model('w', "{{ config(materialized='tabel') }}\nselect 1 as x\n"),
    args: ['build'],
    code: 1,
    says: ['models/w.sql', "unknown materialization 'tabel'"],
  },
  { name: 'empty model file', files: model('w', ''), args: ['build'], code: 1, says: ['w'] },
  {
    name: 'failing on-run-start hook',
    files: {
      'dbt_project.yml': 'name: shop\nprofile: shop\non-run-start:\n  - "select * from nowhere_at_all"\n',
    },
    args: ['build'],
    code: 1,
    says: ['nowhere_at_all'],
  },
];

let base: { dir: string; shape: WarehouseShape };
beforeAll(async () => {
  base = await buildBase();
});
afterAll(() => rmSync(base.dir, { recursive: true, force: true }));

describe.concurrent('bad Jinja: the file and line named, the macro named, no stack, warehouse unchanged', () => {
  it.each(jinja.map((c) => [c.name, c] as const))('%s', async (_name, c) => checkCase(base, c));
});
describe.concurrent('bad graphs and selections', () => {
  it.each(graph.map((c) => [c.name, c] as const))('%s', async (_name, c) => checkCase(base, c));
});
describe.concurrent('bad SQL: node failures exit 1 and keep the previous relations', () => {
  it.each(sql.map((c) => [c.name, c] as const))('%s', async (_name, c) => checkCase(base, c));
});
