import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { scratchProject as scratchProjectIn } from './support/scratch-project.js';

/**
 * The runbooks of the README, run as a user types them, on the real ShopSmart project pointed at
 * a scratch folder (its own warehouse/ and target/) and a small generated warehouse.
 */
const generate = ['generate', '--scale', '0.05', '--seed', '7', '--as-of', '2026-03-31'];

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratchProject(extraLayers = ''): string {
  const { dir } = scratchProjectIn('runbook', extraLayers);
  dirs.push(dir);
  return dir;
}

/** Runs one CLI command in `dir`; returns its exit code and what it printed. */
async function shopsmart(
  dir: string,
  ...argv: string[]
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, '--project-dir', dir], {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out, err };
}

/** A sequence of commands that must each exit 0; the failing one's output is shown. */
async function runbook(dir: string, steps: string[][]): Promise<void> {
  for (const step of steps) {
    const { code, out, err } = await shopsmart(dir, ...step);
    expect(code, `shopsmart ${step.join(' ')}\n${[...out.slice(-15), ...err].join('\n')}`).toBe(0);
  }
}

async function query(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await db.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

describe("002 §10's runbook: seed, run, test", () => {
  it('run before snapshot fails with one line per missing snapshot, before any of their SQL runs', async () => {
    const dir = scratchProject();
    await runbook(dir, [generate, ['seed']]);
    const run = await shopsmart(dir, 'run');
    expect(run.code).toBe(1);
    const summary = run.out.slice(run.out.indexOf('') + 1);
    const unbuilt = summary.filter((line) => line.includes('has not been built'));
    // every error of the run is a missing snapshot, each named exactly once in the summary
    expect(summary.filter((line) => line.startsWith('Error'))).toEqual(unbuilt);
    const named = unbuilt.map((line) => /snapshot '(\w+)'/.exec(line)?.[1]).sort();
    expect(named).toEqual([...new Set(named)]);
    expect(named).toContain('snap_customers');
    expect(named).toContain('snap_products');
    for (const line of unbuilt)
      expect(line).toMatch(
        /: snapshot 'snap_\w+' has not been built in this warehouse yet: run `shopsmart snapshot` \(or `shopsmart build`\) first$/,
      );
    expect(run.out.join('\n')).not.toContain('Catalog Error');
  });

  it('works as the README orders it: seed, run -s staging, snapshot, run, test', async () => {
    const dir = scratchProject();
    await runbook(dir, [generate, ['seed'], ['run', '-s', 'staging'], ['snapshot'], ['run'], ['test']]);
  });
});

describe("004 §6's staged runbook: run -s staging, -s intermediate, -s marts, then test", () => {
  it('-s staging, -s intermediate and -s marts select exactly the models of each layer', async () => {
    const dir = scratchProject();
    const models = async (...select: string[]) =>
      (await shopsmart(dir, 'ls', '--resource-type', 'model', ...select)).out;
    const all = await models();
    const byLayer = await Promise.all(
      ['staging', 'intermediate', 'marts'].map((layer) => models('-s', layer)),
    );
    for (const [index, layer] of ['staging', 'intermediate', 'marts'].entries()) {
      expect(byLayer[index]?.length).toBeGreaterThan(5);
      expect(byLayer[index]?.filter((name) => !name.startsWith(`${layer}.`))).toEqual([]);
    }
    expect(byLayer.flat().sort()).toEqual([...all].sort());
  });

  it('works as the README orders it, with the snapshots after staging', async () => {
    const dir = scratchProject();
    await runbook(dir, [
      generate,
      ['seed'],
      ['run', '-s', 'staging'],
      ['snapshot'],
      ['run', '-s', 'intermediate'],
      ['run', '-s', 'marts'],
      ['test'],
    ]);
  });
});

describe('slim CI: build -s state:modified+ --defer --state <production artifacts>', () => {
  it('builds only the modified model and its children on dev, reading unmodified parents from prod', async () => {
    const reports = 'layers/ci_reports/models';
    const dir = scratchProject(`  - name: ci_reports
    path: layers/ci_reports
    depends_on: [marts]
`);
    const write = (files: Record<string, string>) => {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
    };
    write({
      [`${reports}/orders_by_status.sql`]: `select status, count(*) as orders from {{ ref('fct_orders') }} group by status\n`,
      [`${reports}/status_share.sql`]: `select status, orders / sum(orders) over () as share from {{ ref('orders_by_status') }}\n`,
    });
    // Production: the whole project, and its artifacts kept aside as CI would download them.
    await runbook(dir, [
      [...generate, '--target', 'prod'],
      ['build', '--target', 'prod'],
    ]);
    cpSync(join(dir, 'target'), join(dir, 'prod-artifacts'), { recursive: true });

    write({
      [`${reports}/orders_by_status.sql`]: `select status, count(*) as orders from {{ ref('fct_orders') }} where status <> 'cancelled' group by status\n`,
    });
    const ci = await shopsmart(
      dir,
      'build',
      '-s',
      'state:modified+',
      '--defer',
      '--state',
      join(dir, 'prod-artifacts'),
    );
    expect(ci.code, [...ci.out, ...ci.err].join('\n')).toBe(0);
    expect(ci.out[0]).toMatch(/^Running build with 2 nodes on target 'dev'/);
    expect(ci.out.filter((line) => / OK /.test(line)).map((line) => line.replace(/ in .*$/, ''))).toEqual([
      expect.stringMatching(/OK view main\.orders_by_status$/),
      expect.stringMatching(/OK view main\.status_share$/),
    ]);
    const dev = join(dir, 'warehouse', 'dev.duckdb');
    // Only the two models were built in dev (besides the staging layer's on-run-start audit table).
    expect(
      await query(
        dev,
        "select table_name from information_schema.tables where table_catalog = 'dev' and table_name <> 'model_audit_log' order by 1",
      ),
    ).toEqual([{ table_name: 'orders_by_status' }, { table_name: 'status_share' }]);
    const expected = await query(
      join(dir, 'warehouse', 'prod.duckdb'),
      "select status, count(*) as orders from main.fct_orders where status <> 'cancelled' group by status order by status",
    );
    expect(expected.length).toBeGreaterThan(2);
    const db = await DuckDBInstance.create(dev);
    const connection = await db.connect();
    try {
      await connection.run(`attach '${join(dir, 'warehouse', 'prod.duckdb')}' as prod (read_only)`);
      const rows = (
        await connection.runAndReadAll('select status, orders from main.orders_by_status order by status')
      ).getRowObjectsJson();
      expect(rows).toEqual(expected);
    } finally {
      connection.closeSync();
      db.closeSync();
    }
  });
});
