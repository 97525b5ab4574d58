import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildManifest, type ParsedProject, readProject } from '../src/index.js';
import { renderCacheFileName } from '../src/tasks/render-cache.js';
import { pythonDatetimeText } from '../src/template/python-values.js';
import { type Fixture, queryWarehouse, runFixture, writeFixture } from './fixture-project.js';

// Run-time renders (is_incremental, `execute`, unit tests over fixtures, hooks) are kept in
// target/render_cache.json for the next run of the same parse: a build whose renders are all
// known never builds the template engine, and gives what the engine gives.

const fixtures: Fixture[] = [];
afterAll(() => {
  for (const f of fixtures) f.remove();
});
const envName = 'SSA_RENDER_CACHE_TEST_SUFFIX';
afterEach(() => {
  delete process.env[envName];
});

const files = {
  'dbt_project.yml': `name: fixture
profile: fixture
models:
  fixture:
    +materialized: table
`,
  'models/base.sql': 'select 1 as id, 10 as amount union all select 2, 20',
  // Rendered again at run time (it tests `execute`): prints the run's start and id, logs a line.
  'models/stamped.sql':
    "{{ log('stamped rendered at run time', info=True) }}select {% if execute %}'{{ run_started_at }}'{% else %}null{% endif %} as started, '{{ invocation_id }}' as invocation, count(*) as n from {{ ref('base') }}",
  'models/events.sql': `{{ config(materialized='incremental', unique_key='id', post_hook=["analyze {{ this }}"]) }}
select id, amount from {{ ref('base') }}
{% if is_incremental() %}where id > (select coalesce(max(id), 0) from {{ this }}){% endif %}`,
  'models/scaled.sql':
    "{% set factor = var('factor', 2) %}select id, amount * {{ factor }} as scaled from {{ ref('base') }}",
  'models/_unit.yml': `unit_tests:
  - name: scaled_by_the_var
    model: scaled
    overrides:
      vars: {factor: 3}
    given:
      - input: ref('base')
        rows: [{id: 1, amount: 5}]
    expect:
      rows: [{id: 1, scaled: 15}]
`,
};

/** A new command: parse through the parse cache (a hit after the first), then build. */
async function build(dir: string) {
  const definition = await readProject(dir);
  const target = definition.targets[definition.defaultTarget];
  if (!target) throw new Error('no target');
  const project = buildManifest({ definition, target, partialParse: true });
  const outcome = await runFixture(project, { command: 'build' });
  return { project, ...outcome };
}

/** Whether the run built the project's template engine (a cache hit's engine is made on first use). */
const engineBuilt = (project: ParsedProject) =>
  'value' in (Object.getOwnPropertyDescriptor(project, 'engine') ?? {});

describe('render cache (target/render_cache.json)', () => {
  it('answers the next run of the same parse: the same SQL and logs, this run stamps, no engine', async () => {
    const fx = writeFixture(files);
    fixtures.push(fx);
    const first = await build(fx.dir);
    expect(first.results.success).toBe(true);
    expect(first.status).toMatchObject({ scaled_by_the_var: 'pass', events: 'success' });
    // The second run is the first whose parse came from the cache: events is incremental now.
    const second = await build(fx.dir);
    expect(second.project.parseCache?.status).toBe('hit');
    expect(second.results.success).toBe(true);
    expect(engineBuilt(second.project)).toBe(true);
    const third = await build(fx.dir);
    expect(third.project.parseCache?.status).toBe('hit');
    expect(third.results.success).toBe(true);
    expect(third.status).toMatchObject({ scaled_by_the_var: 'pass', events: 'success', stamped: 'success' });
    expect(engineBuilt(third.project)).toBe(false);
    // The rendered SQL of the incremental model and its hook, as the engine rendered them before.
    const runSql = (name: string) =>
      readFileSync(join(fx.dir, 'target', 'run', 'fixture', 'models', name), 'utf8');
    expect(runSql('events.sql')).toContain(
      'where id > (select coalesce(max(id), 0) from "wh"."main"."events")',
    );
    // This run's start time and id, not the run's that rendered it; its log line again.
    const rows = await queryWarehouse(fx.warehouse, 'select started, invocation from stamped');
    expect(rows).toEqual([
      { started: pythonDatetimeText(third.project.runStartedAt), invocation: third.project.invocationId },
    ]);
    expect(third.project.invocationId).not.toBe(second.project.invocationId);
    const logs = third.events.filter((e) => e.kind === 'log' && e.message === 'stamped rendered at run time');
    expect(logs).toHaveLength(1);
  });

  it('renders again what asked the warehouse, read another environment value, or another parse', async () => {
    const fx = writeFixture({
      ...files,
      'models/asks.sql':
        "{% set found = run_query('select max(v) as v from main.knob') %}select {{ found.rows[0][0] if execute else 0 }} as v",
      'models/env_at_run.sql': `select '{% if execute %}{{ env_var('${envName}', 'unset') }}{% endif %}' as suffix`,
    });
    fixtures.push(fx);
    const knob = async (value: number) => {
      await queryWarehouse(fx.warehouse, `create or replace table main.knob as select ${value} as v`);
    };
    await knob(1);
    process.env[envName] = 'a';
    expect((await build(fx.dir)).results.success).toBe(true);
    expect((await build(fx.dir)).results.success).toBe(true);
    const cached = JSON.parse(readFileSync(join(fx.dir, 'target', renderCacheFileName), 'utf8'));
    expect(Object.keys(cached.entries).length).toBeGreaterThan(0);
    await knob(2);
    process.env[envName] = 'b';
    const third = await build(fx.dir);
    expect(third.project.parseCache?.status).toBe('hit');
    expect(await queryWarehouse(fx.warehouse, 'select v from asks')).toEqual([{ v: 2 }]);
    expect(await queryWarehouse(fx.warehouse, 'select suffix from env_at_run')).toEqual([{ suffix: 'b' }]);
    // An edit makes another parse: the cache of the previous one is not used.
    fx.write({
      'models/scaled.sql':
        "{% set factor = var('factor', 2) %}select id, amount * {{ factor }} + 0 as scaled from {{ ref('base') }}",
    });
    const edited = await build(fx.dir);
    expect(edited.project.parseCache?.status).not.toBe('hit');
    expect(edited.results.success).toBe(true);
    expect(engineBuilt(edited.project)).toBe(true);
    expect(readFileSync(join(fx.dir, 'target', 'run', 'fixture', 'models', 'scaled.sql'), 'utf8')).toContain(
      '+ 0 as scaled',
    );
    expect(existsSync(join(fx.dir, 'target', renderCacheFileName))).toBe(true);
  });
});
