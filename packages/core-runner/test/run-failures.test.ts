import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineEvent, readProject } from '../src/index.js';
import {
  caught,
  type Fixture,
  loadAndRun,
  loadFixture,
  queryWarehouse,
  type RunOutcome,
  runFixture,
  writeFixture,
} from './fixture-project.js';

describe('user errors found while parsing', () => {
  const parseError = async (files: Record<string, string>) => {
    const fx = writeFixture(files);
    try {
      return await caught(() => loadFixture(fx.dir));
    } finally {
      fx.remove();
    }
  };

  it('bad YAML in a properties file names the file and the line', async () => {
    const error = await parseError({
      'models/a.sql': 'select 1 as x\n',
      'models/_models.yml': 'version: 2\nmodels:\n  - name: a\n    description: x: y\n',
    });
    expect(error.code).toBe('SSA-YAML-001');
    expect(error.file).toBe('models/_models.yml');
    expect(error.line).toBe(4);
  });

  it('bad YAML in dbt_project.yml names the file and the line', async () => {
    const fx = writeFixture({
      'dbt_project.yml': 'name: fixture\nprofile: fixture\nmodels:\n  fixture:\n    +materialized: view: x\n',
    });
    try {
      const error = await caught(() => readProject(fx.dir));
      expect(error.code).toBe('SSA-YAML-001');
      expect(String(error.file)).toMatch(/dbt_project\.yml$/);
      expect(error.line).toBe(5);
    } finally {
      fx.remove();
    }
  });

  it('an unknown ref is an error naming the model file, with a did-you-mean', async () => {
    const error = await parseError({
      'models/stg_orders.sql': 'select 1 as order_id\n',
      'models/fct_orders.sql': `select * from {{ ref('stg_ordrs') }}\n`,
    });
    expect(error.code).toBe('SSA-REF-404');
    expect(error.message).toContain("'fct_orders' refers to 'stg_ordrs'");
    expect(error.file).toBe('models/fct_orders.sql');
    expect(error.hint).toBe("did you mean 'stg_orders'?");
  });

  it('an unknown source is an error with a did-you-mean', async () => {
    const error = await parseError({
      'models/_sources.yml': 'version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n',
      'models/stg.sql': `select * from {{ source('shop', 'ordes') }}\n`,
    });
    expect(error.code).toBe('SSA-SOURCE-404');
    expect(error.file).toBe('models/stg.sql');
    expect(error.hint).toContain('shop.orders');
  });

  it('every user error of the project is collected and reported together', async () => {
    const error = await parseError({
      'models/a.sql': `select * from {{ ref('nope_one') }}\n`,
      'models/b.sql': `select * from {{ ref('nope_two') }}\n`,
      'models/_models.yml': 'version: 2\nmodels:\n  - name: a\n    description: x: y\n',
    });
    expect(error.code).toBe('SSA-MANY');
    const errors = error.errors as { code: string; file?: string }[];
    expect(errors.map((e) => `${e.code} ${e.file}`).sort()).toEqual([
      'SSA-REF-404 models/a.sql',
      'SSA-REF-404 models/b.sql',
      'SSA-YAML-001 models/_models.yml',
    ]);
  });

  it('two models that would land in the same relation are an error, as in dbt', async () => {
    const fx = writeFixture({
      'models/orders.sql': 'select 1 as x\n',
      'models/orders_v2.sql': `{{ config(alias='orders') }}\nselect 2 as x\n`,
    });
    try {
      const error = await caught(async () => runFixture(await loadFixture(fx.dir), { command: 'run' }));
      expect(error.message).toContain('model.fixture.orders');
      expect(error.message).toContain('model.fixture.orders_v2');
    } finally {
      fx.remove();
    }
  });
});

describe('dependency cycles', () => {
  it('stop the run before the warehouse is opened and print the whole chain', async () => {
    const fx = writeFixture({
      'models/a.sql': `select * from {{ ref('c') }}\n`,
      'models/b.sql': `select * from {{ ref('a') }}\n`,
      'models/c.sql': `select * from {{ ref('b') }}\n`,
      'models/ok.sql': 'select 1 as x\n',
    });
    try {
      const project = await loadFixture(fx.dir);
      const error = await caught(() => runFixture(project, { command: 'run' }));
      expect(error.code).toBe('SSA-GRAPH-CYCLE');
      expect(error.message).toBe(
        'dependency cycle: model.fixture.a > model.fixture.b > model.fixture.c > model.fixture.a',
      );
      expect(existsSync(fx.warehouse)).toBe(false);
      expect(existsSync(`${fx.warehouse}.lock`)).toBe(false);
    } finally {
      fx.remove();
    }
  });
});

describe('a model whose SQL fails', () => {
  let fx: Fixture;
  let second: RunOutcome;

  beforeAll(async () => {
    fx = writeFixture({
      'models/base_table.sql': `{{ config(materialized='table') }}\nselect 1 as x union all select 2\n`,
      'models/base_view.sql': 'select 10 as y\n',
      'models/child.sql': `{{ config(materialized='table') }}\nselect * from {{ ref('base_table') }}\n`,
      'models/grandchild.sql': `select * from {{ ref('child') }}\n`,
      'models/view_child.sql': `select * from {{ ref('base_view') }}\n`,
      'models/independent.sql': `{{ config(materialized='table') }}\nselect 42 as answer\n`,
    });
    const first = await loadAndRun(fx.dir, { command: 'run' });
    expect(first.results.success).toBe(true);
    fx.write({
      'models/base_table.sql': `{{ config(materialized='table') }}\nselect 1 as x\nfrom missing_table_xyz\n`,
      'models/base_view.sql': 'select no_such_column from (select 1 as y)\n',
      'models/independent.sql': `{{ config(materialized='table') }}\nselect 43 as answer\n`,
    });
    second = await loadAndRun(fx.dir, { command: 'run' });
  });
  afterAll(() => fx.remove());

  it('reports the error with the DuckDB message and the model file, and the run as failed', () => {
    expect(second.status.base_table).toBe('error');
    expect(second.status.base_view).toBe('error');
    const failed = second.results.results.find((r) => r.uniqueId === 'model.fixture.base_table');
    expect(failed?.message).toContain('missing_table_xyz');
    expect(failed?.error?.code).toBe('SSA-SQL-001');
    // The model's file, or the SQL that ran (target/run/…), whose lines DuckDB's line numbers refer to.
    const file = String(failed?.error?.file);
    expect(file).toMatch(/(^|\/)models\/base_table\.sql$/);
    expect(existsSync(join(fx.dir, file))).toBe(true);
    expect(second.results.success).toBe(false);
    const finished = second.events.at(-1) as Extract<EngineEvent, { kind: 'run_finished' }>;
    expect(finished).toMatchObject({
      kind: 'run_finished',
      success: false,
      counts: { error: 2, skipped: 3, success: 1 },
    });
  });

  it('leaves the previous table and view exactly as they were', async () => {
    expect(await queryWarehouse(fx.warehouse, 'select x from main.base_table order by x')).toEqual([
      { x: 1 },
      { x: 2 },
    ]);
    expect(await queryWarehouse(fx.warehouse, 'select y from main.base_view')).toEqual([{ y: 10 }]);
  });

  it('skips every descendant, and runs the independent branch', async () => {
    expect(second.status).toMatchObject({
      child: 'skipped',
      grandchild: 'skipped',
      view_child: 'skipped',
      independent: 'success',
    });
    const skipped = second.events
      .filter((e) => e.kind === 'node_skipped')
      .map((e) => (e as { name: string; reason: string }).reason);
    expect(skipped).toContain("skipped: upstream 'base_table' failed");
    expect(
      second.events
        .filter((e) => e.kind === 'node_started')
        .map((e) => (e as { name: string }).name)
        .sort(),
    ).toEqual(['base_table', 'base_view', 'independent']);
    expect(await queryWarehouse(fx.warehouse, 'select answer from main.independent')).toEqual([
      { answer: 43 },
    ]);
  });

  it('records the error and the skips in target/run_results.json', () => {
    const runResults = JSON.parse(readFileSync(join(fx.dir, 'target/run_results.json'), 'utf8'));
    const byId = Object.fromEntries(runResults.results.map((r: { unique_id: string }) => [r.unique_id, r]));
    expect(byId['model.fixture.base_table']).toMatchObject({
      status: 'error',
      error: { code: 'SSA-SQL-001' },
    });
    expect(byId['model.fixture.grandchild']).toMatchObject({ status: 'skipped' });
    expect(byId['model.fixture.independent']).toMatchObject({ status: 'success' });
  });
});

describe('a failing model in the middle of a parallel run', () => {
  it('fails alone: its descendants are skipped while independent branches finish', async () => {
    const slow = (n: number) =>
      `{{ config(materialized='table') }}\nselect sum(hash(i + ${n})) as h from range(3000000) t(i)\n`;
    const fx = writeFixture(
      {
        'models/root.sql': `{{ config(materialized='table') }}\nselect 1 as x\n`,
        'models/slow_a.sql': slow(1).replace('from range', `, max(x) as x from {{ ref('root') }}, range`),
        'models/slow_a_child.sql': `select * from {{ ref('slow_a') }}\n`,
        'models/slow_b.sql': slow(2).replace('from range', `, max(x) as x from {{ ref('root') }}, range`),
        'models/bad.sql': `{{ config(materialized='table') }}\nselect error('boom in the middle') as x from {{ ref('root') }}\n`,
        'models/bad_child.sql': `select * from {{ ref('bad') }}\n`,
        'models/bad_grandchild.sql': `select * from {{ ref('bad_child') }}\n`,
        'models/after_both.sql': `select * from {{ ref('slow_b') }}, {{ ref('slow_a_child') }}\n`,
      },
      { threads: 4 },
    );
    try {
      const { results, status, events } = await loadAndRun(fx.dir, { command: 'run' });
      expect(status).toEqual({
        root: 'success',
        slow_a: 'success',
        slow_b: 'success',
        bad: 'error',
        slow_a_child: 'success',
        after_both: 'success',
        bad_child: 'skipped',
        bad_grandchild: 'skipped',
      });
      expect(results.success).toBe(false);
      expect(results.args.threads).toBe(4);
      const at = (kind: string, name: string) =>
        events.findIndex((e) => e.kind === kind && (e as { name?: string }).name === name);
      // bad failed while the slow siblings were still running.
      expect(at('node_started', 'slow_a')).toBeLessThan(at('node_finished', 'bad'));
      expect(at('node_finished', 'bad')).toBeLessThan(at('node_finished', 'slow_a'));
      expect(at('node_finished', 'bad')).toBeLessThan(at('node_finished', 'slow_b'));
      expect(results.results.find((r) => r.uniqueId === 'model.fixture.bad')?.message).toContain(
        'boom in the middle',
      );
    } finally {
      fx.remove();
    }
  });
});

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('one run at a time per warehouse', () => {
  let fx: Fixture;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    fx = writeFixture({ 'models/a.sql': `{{ config(materialized='table') }}\nselect 1 as x\n` });
    const { results } = await loadAndRun(fx.dir, { command: 'run' });
    expect(results.success).toBe(true);
  });
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.pid) process.kill(child.pid);
    fx.remove();
  });

  /**
   * A separate live process that takes the warehouse lock the way a run does, then waits. Its
   * SIGTERM handler is in place before it says `locked`: a signal that arrived in between would
   * end it with the lock file left behind (seen once on a loaded machine).
   */
  const holdLock = async (): Promise<ChildProcess> => {
    const lock = `${fx.warehouse}.lock`;
    const script = `const fs = require('fs');
process.on('SIGTERM', () => { fs.unlinkSync(${JSON.stringify(lock)}); process.exit(0); });
fs.writeFileSync(${JSON.stringify(lock)}, JSON.stringify({ pid: process.pid, startedAt: '2024-05-01T10:00:00.000Z', command: 'build' }), { flag: 'wx' });
setInterval(() => {}, 1000);
process.stdout.write('locked\\n');`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout?.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
    });
    return child;
  };

  it("a second run gets 'warehouse is in use by run <pid> since <time>' and leaves the file untouched", async () => {
    const before = digest(fx.warehouse);
    const holder = await holdLock();
    const project = await loadFixture(fx.dir);
    const error = await caught(() => runFixture(project, { command: 'run' }));
    expect(error.code).toBe('SSA-LOCK-001');
    expect(error.message).toBe(
      `warehouse is in use by run ${holder.pid} (build) since 2024-05-01T10:00:00.000Z`,
    );
    expect(JSON.parse(readFileSync(`${fx.warehouse}.lock`, 'utf8')).pid).toBe(holder.pid);
    expect(digest(fx.warehouse)).toBe(before);
    await new Promise<void>((resolve) => {
      holder.once('exit', () => resolve());
      holder.kill('SIGTERM');
    });
    expect(existsSync(`${fx.warehouse}.lock`)).toBe(false);
    const { results } = await runFixture(project, { command: 'run' });
    expect(results.success).toBe(true);
    expect(await queryWarehouse(fx.warehouse, 'select x from main.a')).toEqual([{ x: 1 }]);
  });

  it('the lock of a run that died is taken over', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const deadPid = Number(dead.stdout);
    writeFileSync(
      `${fx.warehouse}.lock`,
      JSON.stringify({ pid: deadPid, startedAt: '2024-05-01T10:00:00.000Z', command: 'run' }),
    );
    const { results } = await loadAndRun(fx.dir, { command: 'run' });
    expect(results.success).toBe(true);
    expect(existsSync(`${fx.warehouse}.lock`)).toBe(false);
  });

  it('a lock held by the parent process (alive) refuses the run', async () => {
    writeFileSync(
      `${fx.warehouse}.lock`,
      JSON.stringify({ pid: process.ppid, startedAt: '2024-05-01T11:00:00.000Z', command: 'seed' }),
    );
    try {
      const error = await caught(async () => runFixture(await loadFixture(fx.dir), { command: 'run' }));
      expect(error.message).toBe(
        `warehouse is in use by run ${process.ppid} (seed) since 2024-05-01T11:00:00.000Z`,
      );
    } finally {
      unlinkSync(`${fx.warehouse}.lock`);
    }
  });

  it('two runs started together in one process: one builds, the other is refused', async () => {
    const project = await loadFixture(fx.dir);
    const outcomes = await Promise.allSettled([
      runFixture(project, { command: 'run' }),
      runFixture(project, { command: 'run' }),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(String(rejected.reason.message)).toMatch(
      /warehouse is (in use by run|already open in this process)/,
    );
    expect(existsSync(`${fx.warehouse}.lock`)).toBe(false);
  });
});
