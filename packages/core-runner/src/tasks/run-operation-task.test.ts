import { afterEach, describe, expect, it } from 'vitest';
import {
  caught,
  type Fixture,
  loadFixture,
  queryWarehouse,
  writeFixture,
} from '../../test/fixture-project.js';
import { type EngineEvent, EventBus } from '../index.js';
import { jinjaLiteral, runOperation } from './run-operation-task.js';

// dbt run-operation: https://docs.getdbt.com/reference/commands/run-operation
let fx: Fixture | undefined;
afterEach(() => {
  fx?.remove();
  fx = undefined;
});

const MACROS = {
  'models/a.sql': 'select 1 as id\n',
  'macros/ops.sql': `{% macro make_table(name, rows=1) %}
  {% do run_query('create or replace table main.' ~ name ~ ' as select range as id from range(' ~ rows ~ ')') %}
  {{ log('made ' ~ name ~ ' with ' ~ rows ~ ' rows', info=True) }}
{% endmacro %}
{% macro count_rows(name) %}
  {% set result = run_query('select count(*) as n from main.' ~ name) %}
  {% if execute %}{{ return(result.rows[0][0] | string) }}{% endif %}
{% endmacro %}
{% macro describe_args(flags, when) %}{{ return(flags | tojson ~ ' ' ~ when) }}{% endmacro %}
{% macro fails() %}{{ exceptions.raise_compiler_error('no grants for you') }}{% endmacro %}
`,
};

describe('run-operation', () => {
  it('calls the macro with --args, runs its statements, reports log() and the return value', async () => {
    fx = writeFixture(MACROS);
    const project = await loadFixture(fx.dir);
    const events: EngineEvent[] = [];
    const made = await runOperation(project, {
      macro: 'make_table',
      args: { name: 'ops_made', rows: 3 },
      events: new EventBus((e) => events.push(e)),
    });
    expect(made.output).toBe('');
    expect(events.some((e) => e.kind === 'log' && e.message === 'made ops_made with 3 rows')).toBe(true);
    expect(await queryWarehouse(fx.warehouse, 'select count(*) as n from main.ops_made')).toEqual([{ n: 3 }]);
    const counted = await runOperation(project, {
      macro: 'count_rows',
      args: { name: 'ops_made' },
      events: new EventBus(),
    });
    expect(counted.output).toBe('3');
  });

  it('passes args typed: lists, mappings, booleans and null', async () => {
    fx = writeFixture(MACROS);
    const project = await loadFixture(fx.dir);
    const result = await runOperation(project, {
      macro: 'describe_args',
      args: { flags: { dry: true, tables: ['a', 'b'], none: null }, when: '2026-01-31' },
      events: new EventBus(),
    });
    expect(result.output).toContain('"dry":true');
    expect(result.output).toContain('"tables":["a","b"]');
    expect(result.output).toContain('"none":null');
    expect(result.output).toContain(' 2026-01-31');
    expect(jinjaLiteral({ a: [1, 'x'], b: null, c: false })).toBe('{"a": [1, "x"], "b": none, "c": false}');
  });

  it('an unknown macro is an error with a did-you-mean; a macro that raises names itself', async () => {
    fx = writeFixture(MACROS);
    const project = await loadFixture(fx.dir);
    const unknown = await caught(() =>
      runOperation(project, { macro: 'make_tabel', events: new EventBus() }),
    );
    expect(unknown.code).toBe('SSA-OPERATION-404');
    expect(unknown.hint).toBe("did you mean 'make_table'?");
    const raised = await caught(() => runOperation(project, { macro: 'fails', events: new EventBus() }));
    expect(raised.code).toBe('SSA-RUN-OPERATION');
    expect(raised.message).toMatch(/^run-operation fails failed: .*no grants for you/);
    expect(raised.file).toBe('macros/ops.sql');
    const badArg = await caught(() =>
      runOperation(project, { macro: 'fails', args: { 'a-b': 1 }, events: new EventBus() }),
    );
    expect(badArg.code).toBe('SSA-OPERATION-ARGS');
  });
});
