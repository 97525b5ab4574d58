import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/exit-codes.js';
import { main } from '../src/main.js';

const run = promisify(execFile);
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');

/** Writes a small dbt-duckdb project to a temp dir and returns its path. */
function writeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'shopsmart-cli-'));
  const all: Record<string, string> = {
    'dbt_project.yml':
      'name: shop\nprofile: shop\nconfig-version: 2\nmodels:\n  shop:\n    +materialized: table\n',
    'profiles.yml': `shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${join(dir, 'wh.duckdb')}\n      threads: 2\n`,
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function capture() {
  const lines: { out: string[]; err: string[] } = { out: [], err: [] };
  return { lines, output: { out: (l: string) => lines.out.push(l), err: (l: string) => lines.err.push(l) } };
}

async function query(dir: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(join(dir, 'wh.duckdb'));
  const connection = await db.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const shop = {
  'seeds/countries.csv': 'code,name\nUS,United States\nFR,France\n',
  'models/customers.sql': "select 1 as customer_id, 'US' as country_code union all select 2, 'FR'",
  'models/customers_by_country.sql':
    "{{ config(materialized='view') }}\nselect c.name, count(*) as customers from {{ ref('customers') }} k join {{ ref('countries') }} c on c.code = k.country_code group by 1",
  'models/schema.yml':
    'version: 2\nmodels:\n  - name: customers\n    description: one row per customer\n    columns:\n      - name: customer_id\n        description: id\n        data_tests: [unique, not_null]\n',
};

describe('shopsmart build on a dbt project', () => {
  it('builds seeds, models and tests, prints a line per node and a summary, exits 0', async () => {
    const dir = writeProject(shop);
    dirs.push(dir);
    const { lines, output } = capture();
    const code = await main(['build', '--project-dir', dir], output);
    expect(code).toBe(0);
    expect(lines.out.some((l) => /OK seed main\.countries \[2 rows\]/.test(l))).toBe(true);
    expect(lines.out.some((l) => /PASS test unique_customers_customer_id/.test(l))).toBe(true);
    expect(lines.out.at(-1)).toMatch(/^Finished build in .*OK=3 PASS=2/);
    expect(await query(dir, 'select * from main.customers_by_country order by name')).toEqual([
      { name: 'France', customers: '1' },
      { name: 'United States', customers: '1' },
    ]);
    const results = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')) as {
      results: { status: string }[];
    };
    expect(results.results).toHaveLength(5);
  });

  it('exits 1 when a model fails, keeps the previous relation and skips its descendants', async () => {
    const dir = writeProject(shop);
    dirs.push(dir);
    expect(await main(['build', '--project-dir', dir], capture().output)).toBe(0);
    writeFileSync(join(dir, 'models', 'customers.sql'), 'select * from no_such_table');
    const { lines, output } = capture();
    const code = await main(['run', '--project-dir', dir], output);
    expect(code).toBe(1);
    expect(lines.out.some((l) => /ERROR table main\.customers/.test(l) && /no_such_table/.test(l))).toBe(
      true,
    );
    expect(lines.out.some((l) => /SKIP model customers_by_country/.test(l))).toBe(true);
    expect(await query(dir, 'select count(*) as n from main.customers')).toEqual([{ n: '2' }]);
  });

  it('compiles one node to SQL on stdout, refs resolved to relations', async () => {
    const dir = writeProject(shop);
    dirs.push(dir);
    const { lines, output } = capture();
    expect(await main(['compile', '--project-dir', dir, '-s', 'customers_by_country'], output)).toBe(0);
    expect(lines.out.join('\n')).toContain('from "wh"."main"."customers" k join "wh"."main"."countries" c');
    expect(
      readFileSync(join(dir, 'target', 'compiled', 'shop', 'models', 'customers_by_country.sql'), 'utf8'),
    ).toContain('"wh"."main"."countries"');
  });

  it('exits 2 on bad usage and on a broken project, naming the file and line', async () => {
    const unknown = capture();
    expect(await main(['biuld'], unknown.output)).toBe(2);
    expect(unknown.lines.err.join('\n')).toMatch(/did you mean 'build'/);

    const dir = writeProject({ ...shop, 'models/broken.sql': "select * from {{ ref('custmers') }}" });
    dirs.push(dir);
    const broken = capture();
    expect(await main(['compile', '--project-dir', dir], broken.output)).toBe(2);
    expect(broken.lines.err.join('\n')).toMatch(/SSA-REF-404.*models\/broken\.sql.*'custmers'/s);
    expect(broken.lines.err.join('\n')).toMatch(/did you mean 'customers'/);
  });

  it('refuses a second run on a warehouse in use and leaves it intact', async () => {
    const dir = writeProject(shop);
    dirs.push(dir);
    expect(await main(['build', '--project-dir', dir], capture().output)).toBe(0);
    // A live process (this test's parent) holds the lock.
    writeFileSync(
      join(dir, 'wh.duckdb.lock'),
      JSON.stringify({ pid: process.ppid, startedAt: '2026-11-21T10:00:00.000Z', command: 'build' }),
    );
    const { lines, output } = capture();
    expect(await main(['run', '--project-dir', dir], output)).toBe(ExitCode.warehouseBusy);
    expect(lines.err.join('\n')).toMatch(
      new RegExp(`warehouse is in use by run ${process.ppid} \\(build\\) since 2026-11-21T10:00:00.000Z`),
    );
    rmSync(join(dir, 'wh.duckdb.lock'));
    expect(await query(dir, 'select count(*) as n from main.customers')).toEqual([{ n: '2' }]);
  });

  it('selects by state:modified+ against a saved manifest and by result:error against the last run', async () => {
    const dir = writeProject(shop);
    dirs.push(dir);
    expect(await main(['build', '--project-dir', dir], capture().output)).toBe(0);
    cpSync(join(dir, 'target'), join(dir, 'prod-state'), { recursive: true });
    writeFileSync(join(dir, 'models', 'customers.sql'), "select 1 as customer_id, 'US' as country_code");
    const modified = capture();
    expect(
      await main(
        [
          'ls',
          '--project-dir',
          dir,
          '-s',
          'state:modified+',
          '--state',
          join(dir, 'prod-state'),
          '--resource-type',
          'model',
        ],
        modified.output,
      ),
    ).toBe(0);
    expect(modified.lines.out).toEqual(['shop.customers', 'shop.customers_by_country']);

    writeFileSync(join(dir, 'models', 'customers_by_country.sql'), 'select * from missing_table');
    expect(await main(['run', '--project-dir', dir], capture().output)).toBe(1);
    const failed = capture();
    expect(await main(['ls', '--project-dir', dir, '-s', 'result:error'], failed.output)).toBe(0);
    expect(failed.lines.out).toEqual(['shop.customers_by_country']);
  });

  it('generates and advances the mock warehouse of the target, refusing bad options without touching it', async () => {
    const dir = writeProject({});
    dirs.push(dir);
    const generated = capture();
    expect(
      await main(
        ['generate', '--project-dir', dir, '--scale', '0.01', '--as-of', '2026-01-31'],
        generated.output,
      ),
    ).toBe(0);
    expect(generated.lines.out[0]).toMatch(/^Generated [\d,]+ rows in \d+ tables \(as of 2026-01-31\)/);
    const orders = await query(dir, 'select count(*) as n from raw.orders');
    const advanced = capture();
    expect(await main(['advance', '--project-dir', dir, '--days', '3'], advanced.output)).toBe(0);
    expect(advanced.lines.out[0]).toMatch(
      /^Advanced the shop 3 days, from 2026-01-31 to 2026-02-03 \(batch 1\)/,
    );
    const before = await query(dir, 'select count(*) as n from raw.orders');
    expect(Number(before[0]?.n)).toBeGreaterThan(Number(orders[0]?.n));

    const back = capture();
    expect(await main(['advance', '--project-dir', dir, '--as-of', '2026-01-01'], back.output)).toBe(2);
    expect(back.lines.err.join('\n')).toMatch(/must be after the warehouse's as-of 2026-02-03/);
    const negative = capture();
    expect(await main(['generate', '--project-dir', dir, '--scale', '-1'], negative.output)).toBe(2);
    expect(await query(dir, 'select count(*) as n from raw.orders')).toEqual(before);
  });

  it('runs as a real process through the built bin', async () => {
    const dir = writeProject(shop);
    dirs.push(dir);
    const { stdout } = await run(process.execPath, [
      bin,
      'ls',
      '--project-dir',
      dir,
      '--select',
      '+customers_by_country',
      '--resource-type',
      'model',
    ]);
    expect(stdout.trim().split('\n')).toEqual(['shop.customers', 'shop.customers_by_country']);
    // As in dbt, one --select takes several space-separated selectors.
    const several = await run(process.execPath, [
      bin,
      'ls',
      '--project-dir',
      dir,
      '-s',
      'countries',
      'customers',
      '--resource-type',
      'model',
      '--resource-type',
      'seed',
    ]);
    expect(several.stdout.trim().split('\n')).toEqual(['shop.customers', 'shop.countries']);
    await expect(
      run(process.execPath, [bin, 'run', '--threads', '0', '--project-dir', dir]),
    ).rejects.toMatchObject({ code: 2 });
  });
});
