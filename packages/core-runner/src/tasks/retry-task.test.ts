import { afterEach, describe, expect, it } from 'vitest';
import { caught, type Fixture, loadAndRun, writeFixture } from '../../test/fixture-project.js';
import { planRetry } from './retry-task.js';

// dbt retry: https://docs.getdbt.com/reference/commands/retry
let fx: Fixture | undefined;
afterEach(() => {
  fx?.remove();
  fx = undefined;
});

describe('retry', () => {
  it('re-runs only what errored or was skipped, with the previous command and flags', async () => {
    fx = writeFixture(
      {
        'models/a.sql': 'select id from no_such_table\n',
        'models/b.sql': 'select 2 as id\n',
        'models/c.sql': "select * from {{ ref('a') }}\n",
        'models/d.sql': "select * from {{ ref('b') }}\n",
      },
      { threads: 1 },
    );
    const first = await loadAndRun(fx.dir, {
      command: 'run',
      select: ['a+', 'b+'],
      failFast: true,
      warnError: true,
      cliVars: { day: '2026-01-31' },
    });
    expect(first.status).toEqual({ a: 'error', b: 'skipped', c: 'skipped', d: 'skipped' });
    const target = first.project.definition.targetPath;
    const plan = planRetry(target, fx.dir);
    expect(plan.command).toBe('run');
    expect(plan.retry.sort()).toEqual([
      'model.fixture.a',
      'model.fixture.b',
      'model.fixture.c',
      'model.fixture.d',
    ]);
    expect(plan.options).toMatchObject({ select: ['a+', 'b+'], failFast: true });
    // dbt reuses the target and vars; --warn-error belongs to the retry itself.
    expect(plan.target).toBe('dev');
    expect(plan.vars).toEqual({ day: '2026-01-31' });
    expect(plan.options.warnError).toBeUndefined();

    fx.write({ 'models/a.sql': 'select 1 as id\n' });
    const second = await loadAndRun(fx.dir, { ...plan.options, only: plan.retry });
    expect(second.status).toEqual({ a: 'success', b: 'success', c: 'success', d: 'success' });
    // Now nothing is left to retry.
    expect(planRetry(target, fx.dir).retry).toEqual([]);
  });

  it('a passing node is not run again', async () => {
    fx = writeFixture({
      'models/a.sql': 'select id from no_such_table\n',
      'models/b.sql': 'select 2 as id\n',
    });
    const first = await loadAndRun(fx.dir, { command: 'run' });
    const plan = planRetry(first.project.definition.targetPath, fx.dir);
    expect(plan.retry).toEqual(['model.fixture.a']);
    const second = await loadAndRun(fx.dir, { ...plan.options, only: plan.retry });
    expect(Object.keys(second.status)).toEqual(['a']);
  });

  it('without run_results.json retry says what to do', async () => {
    fx = writeFixture({ 'models/a.sql': 'select 1 as id\n' });
    const error = await caught(() => planRetry(`${fx?.dir}/target`, fx?.dir as string));
    expect(error.code).toBe('SSA-RETRY-404');
    expect(error.message).toBe('retry: no target/run_results.json to retry from');
    expect(error.hint).toMatch(/run build, run, test, seed or snapshot first/);
  });
});
