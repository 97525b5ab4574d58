import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');

/** The real binary; resolves with the exit code and output (never rejects on a non-zero exit). */
async function shopsmart(
  args: string[],
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'shopsmart-docs-cli-'));
const files: Record<string, string> = {
  'dbt_project.yml':
    'name: shop\nprofile: shop\nconfig-version: 2\nmodels:\n  shop:\n    +materialized: table\n',
  'profiles.yml': `shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${join(dir, 'wh.duckdb')}\n      threads: 2\n`,
  'seeds/countries.csv': 'code,name\nUS,United States\nFR,France\nDE,Germany\n',
  'models/customers.sql': "select 1 as customer_id, 'US' as country_code union all select 2, 'FR'",
  'models/customers_by_country.sql':
    "{{ config(materialized='view') }}\nselect c.name, count(*) as customers from {{ ref('customers') }} k join {{ ref('countries') }} c on c.code = k.country_code group by 1",
  'models/schema.yml':
    'version: 2\nmodels:\n  - name: customers\n    description: one row per customer\n    columns:\n      - name: customer_id\n        description: id\n        data_tests: [unique, not_null]\n',
};

beforeAll(async () => {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const built = await shopsmart(['build', '--project-dir', dir]);
  expect(built.code, built.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Catalog {
  metadata: { dbt_schema_version: string; generated_at: string };
  nodes: Record<
    string,
    {
      metadata: { type: string; schema: string; name: string; database: string; owner: null };
      columns: Record<string, { type: string; index: number; name: string }>;
      stats: Record<string, { value: unknown; include: boolean }>;
      unique_id: string;
    }
  >;
  sources: Record<string, unknown>;
  errors: null;
}

describe('shopsmart docs generate', () => {
  it('writes catalog.json in dbt shape and the static site with its data file', async () => {
    const result = await shopsmart(['docs', 'generate', '--project-dir', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Catalog: 3 relations/);
    expect(result.stdout).toMatch(/Docs site: .*index\.html/);
    const catalog = JSON.parse(readFileSync(join(dir, 'target', 'catalog.json'), 'utf8')) as Catalog;
    expect(catalog.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/catalog/v1.json');
    expect(catalog.errors).toBeNull();
    const customers = catalog.nodes['model.shop.customers'];
    expect(customers?.metadata).toMatchObject({
      type: 'BASE TABLE',
      schema: 'main',
      name: 'customers',
      owner: null,
    });
    expect(customers?.columns).toEqual({
      customer_id: { type: 'INTEGER', index: 1, name: 'customer_id', comment: null },
      country_code: { type: 'VARCHAR', index: 2, name: 'country_code', comment: null },
    });
    expect(customers?.stats.row_count).toMatchObject({ value: 2, include: true });
    expect(catalog.nodes['seed.shop.countries']?.stats.row_count?.value).toBe(3);
    const view = catalog.nodes['model.shop.customers_by_country'];
    expect(view?.metadata.type).toBe('VIEW');
    expect(view?.stats.row_count).toBeUndefined();
    expect(Object.keys(view?.columns ?? {})).toEqual(['name', 'customers']);

    const site = join(dir, 'target', 'docs');
    for (const file of ['index.html', 'docs-app.js', 'docs-app.css', 'docs-data.js'])
      expect(existsSync(join(site, file))).toBe(true);
    const data = readFileSync(join(site, 'docs-data.js'), 'utf8');
    expect(data.startsWith('globalThis.__SHOPSMART_DOCS__ = {')).toBe(true);
    const embedded = JSON.parse(
      data
        .slice(data.indexOf('=') + 1)
        .trim()
        .replace(/;$/, ''),
    ) as {
      manifest: { nodes: Record<string, { compiled_code?: string }> };
      catalog: Catalog;
      runResults: { results: unknown[] } | null;
      sources: unknown;
    };
    expect(embedded.catalog.nodes['model.shop.customers']?.stats.row_count?.value).toBe(2);
    expect(embedded.runResults?.results).toHaveLength(5);
    expect(embedded.manifest.nodes['model.shop.customers_by_country']?.compiled_code).toContain(
      '"wh"."main"."countries"',
    );
    expect(embedded.sources).toBeNull();
  });

  it('answers bad usage with exit 2 and a suggestion', async () => {
    const none = await shopsmart(['docs', '--project-dir', dir]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/'docs' needs a sub-command/);
    const typo = await shopsmart(['docs', 'generat', '--project-dir', dir]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/did you mean 'generate'/);
    const port = await shopsmart(['docs', 'generate', '--port', '9000', '--project-dir', dir]);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--port applies to 'docs serve' only/);
  });
});

/** Starts `docs serve`, resolves once it prints its address. */
function serve(args: string[]) {
  const child = spawn(process.execPath, [bin, 'docs', 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  const address = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const found = /at (http:\/\/\S+\/)/.exec(stdout);
      if (found?.[1]) resolve(found[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    exited.then((code) => reject(new Error(`docs serve exited ${code}: ${stderr}`)));
  });
  return { child, address, exited, output: () => ({ stdout, stderr }) };
}

describe('shopsmart docs serve', () => {
  it('serves the generated site on loopback, nothing outside it, and stops on SIGTERM with exit 0', async () => {
    const server = serve(['--port', '0', '--project-dir', dir]);
    const url = await server.address;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await fetch(url);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(await index.text()).toContain('<script src="docs-data.js"></script>');
    const data = await fetch(`${url}docs-data.js`);
    expect(data.headers.get('content-type')).toMatch(/javascript/);
    expect(await data.text()).toContain('model.shop.customers');
    expect((await fetch(`${url}..%2f..%2fcatalog.json`)).status).toBe(404);
    expect((await fetch(`${url}missing.js`)).status).toBe(404);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('names a busy port and exits 2', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await shopsmart(['docs', 'serve', '--port', String(port), '--project-dir', dir]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(result.stderr).toMatch(/--port/);
    } finally {
      blocker.close();
    }
  });

  it('says to generate first when there is no site', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'shopsmart-docs-empty-'));
    try {
      for (const name of ['dbt_project.yml', 'profiles.yml'])
        writeFileSync(join(empty, name), files[name] as string);
      const result = await shopsmart(['docs', 'serve', '--port', '0', '--project-dir', empty]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/no docs site in .*target\/docs/);
      expect(result.stderr).toMatch(/shopsmart docs generate/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
