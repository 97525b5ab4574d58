/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildManifest, checkSourceFreshness, EventBus, readProject } from '@shopsmart/core-runner';
import { generateWarehouse } from '@shopsmart/mockgen';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../src/docs-server.js';
import {
  buildAndDocument,
  launchChromium,
  openShopsmartIn,
  writeDbtProject,
} from './support/docs-browser.js';

declare global {
  interface Window {
    /** Set by the docs site's lineage page. */
    shopsmartLineage?: {
      ids: () => string[];
      clientPoint: (id: string) => { x: number; y: number } | undefined;
      ready: boolean;
    };
  }
}

// One small build of the ShopSmart project and one browser for every test in this file.
const scratch = mkdtempSync(join(tmpdir(), 'shopsmart-docs-site-'));
const shots = join(scratch, 'screenshots');
let site: string;
let hostileSite: string;
let hostileDir: string;
let browser: Browser;
let manifest: {
  nodes: Record<
    string,
    {
      unique_id: string;
      resource_type: string;
      name: string;
      columns: Record<string, unknown>;
      package_name: string;
    }
  >;
  sources: Record<string, { name: string; source_name: string }>;
  exposures: Record<string, { name: string }>;
  parent_map: Record<string, string[]>;
  child_map: Record<string, string[]>;
};
const requests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  const warehouse = join(scratch, 'wh.duckdb');
  await generateWarehouse({ warehousePath: warehouse, scale: 0.05, seed: 11, asOf: '2026-06-30' });
  const project = await openShopsmartIn(scratch, warehouse);
  await checkSourceFreshness(project, { events: new EventBus() });
  site = await buildAndDocument(project);
  manifest = JSON.parse(readFileSync(join(scratch, 'target', 'manifest.json'), 'utf8'));

  hostileDir = writeDbtProject({
    'models/hostile.sql': 'select 1 as id, 2 as "<img src=x onerror=window.__pwned=3>"',
    'models/schema.yml': [
      'version: 2',
      'models:',
      '  - name: hostile',
      '    description: "Evil <script>window.__pwned = 1</script> and <img src=x onerror=\\"window.__pwned=2\\"> **bold**"',
      '    columns:',
      '      - name: id',
      '        description: "<iframe src=https://example.com></iframe>plain"',
      '      - name: "<img src=x onerror=window.__pwned=3>"',
      '        description: a column with a hostile name',
      '',
    ].join('\n'),
  });
  const definition = await readProject(hostileDir);
  const target = definition.targets[definition.defaultTarget];
  if (!target) throw new Error('fixture has no target');
  hostileSite = await buildAndDocument(await buildManifest({ definition, target, cliVars: {} }));
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (!process.env.KEEP_DOCS_SCREENSHOTS) {
    rmSync(scratch, { recursive: true, force: true });
    if (hostileDir) rmSync(hostileDir, { recursive: true, force: true });
  } else console.log(`screenshots in ${shots}`);
});

async function open(siteDir: string, hash = ''): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${pathToFileURL(join(siteDir, 'index.html')).href}${hash}`);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

/** Drags the canvas (as a user pans) until the node is inside it; returns its position. */
async function revealOnCanvas(page: Page, id: string): Promise<{ x: number; y: number }> {
  const box = await page.locator('canvas.lineage-canvas').boundingBox();
  if (!box) throw new Error('no lineage canvas');
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  for (let step = 0; step < 40; step++) {
    const point = await page.evaluate((node) => window.shopsmartLineage?.clientPoint(node), id);
    if (!point) throw new Error(`${id} is not drawn`);
    const inside =
      point.x > box.x + 20 &&
      point.x < box.x + box.width - 20 &&
      point.y > box.y + 20 &&
      point.y < box.y + box.height - 20;
    if (inside) return point;
    const dx = Math.max(-300, Math.min(300, centre.x - point.x));
    const dy = Math.max(-200, Math.min(200, centre.y - point.y));
    await page.mouse.move(centre.x, centre.y);
    await page.mouse.down();
    await page.mouse.move(centre.x + dx, centre.y + dy, { steps: 4 });
    await page.mouse.up();
    await page.waitForTimeout(20);
  }
  throw new Error(`could not pan ${id} into view`);
}

/** The text of what a locator finds (Playwright's textContent, never null). */
const text = async (locator: Locator) => (await locator.textContent()) ?? '';
const route = (page: Page) => page.evaluate(() => document.body.dataset.route ?? '');
const heading = (page: Page) => text(page.locator('main h1'));
const href = (type: string, id: string) => `#!/${type}/${encodeURIComponent(id)}`;

describe('the generated docs site of the ShopSmart project (file://)', () => {
  it('opens from the file system on the overview with the money terms', async () => {
    const page = await open(site);
    expect(await heading(page)).toBe('shopsmart');
    expect(await text(page.locator('main'))).toMatch(/net merchandise revenue/i);
    await page.screenshot({ path: join(shots, 'overview.png') });
    await page.close();
  });

  it('finds a model by a column name and opens it with catalog types and test results', async () => {
    // A column that exactly one model declares, so the first hit is that model.
    const owners = new Map<string, string[]>();
    for (const [id, node] of Object.entries(manifest.nodes))
      if (node.resource_type === 'model')
        for (const column of Object.keys(node.columns))
          owners.set(column, [...(owners.get(column) ?? []), id]);
    const [column, [modelId] = []] = [...owners].find(
      ([name, ids]) => ids.length === 1 && name.length > 12,
    ) ?? ['', []];
    expect(modelId).toBeDefined();
    const page = await open(site);
    await page.keyboard.press('/');
    await page.keyboard.type(column);
    const first = page.locator('.search-results li').first();
    await expect.poll(() => first.getAttribute('data-id')).toBe(modelId);
    expect(await text(first)).toContain(`column ${column}`);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect.poll(() => route(page)).toBe(href('model', modelId as string));
    const row = page.locator(`tr[data-column="${column}"]`);
    expect(await row.count()).toBe(1);
    expect((await text(row.locator('td').nth(1))).trim()).toMatch(/^[A-Z]/);
    // Tests on columns show their last result from run_results.json.
    const chips = page.locator('.test-chip');
    if ((await chips.count()) > 0) expect(await text(chips.first())).toMatch(/pass|warn|fail|error/);
    expect(await text(page.locator('main'))).toMatch(/Compiled SQL/);
    expect(await page.locator('main pre code .hljs-keyword').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, 'model.png'), fullPage: false });
    await page.close();
  });

  it("shows a unit test's given inputs and expected rows", async () => {
    const unitTest = Object.values(manifest.nodes).find((n) => n.resource_type === 'unit_test') as
      | { unique_id: string; given: { input: string }[]; expect: { rows?: unknown[] } }
      | undefined;
    expect(unitTest).toBeDefined();
    const page = await open(site, href('unit_test', unitTest?.unique_id as string));
    const section = page.locator('section.unit-test');
    expect(await text(section.locator('h2').first())).toBe('Given');
    for (const input of unitTest?.given ?? []) expect(await text(section)).toContain(input.input);
    const expected = section.locator('table').last().locator('tbody tr');
    if (Array.isArray(unitTest?.expect.rows))
      expect(await expected.count()).toBe(unitTest?.expect.rows.length);
    await page.close();
  });

  it('walks the lineage by clicking from a source to an exposure', async () => {
    // A path source → … → exposure through drawn nodes (no tests), found in the manifest.
    const drawn = (id: string) => !id.startsWith('test.') && !id.startsWith('unit_test.');
    const exposures = new Set(Object.keys(manifest.exposures));
    const previous = new Map<string, string>();
    const queue = Object.keys(manifest.sources);
    for (const id of queue) previous.set(id, '');
    let end: string | undefined;
    while (queue.length && !end) {
      const id = queue.shift() as string;
      for (const child of manifest.child_map[id] ?? []) {
        if (!drawn(child) || previous.has(child)) continue;
        previous.set(child, id);
        if (exposures.has(child)) {
          end = child;
          break;
        }
        queue.push(child);
      }
    }
    expect(end).toBeDefined();
    const path: string[] = [];
    for (let id = end as string; id; id = previous.get(id) ?? '') path.unshift(id);
    const type = (id: string) => id.split('.')[0] as string;

    const page = await open(site, href('source', path[0] as string));
    for (const next of path.slice(1)) {
      await page.locator('a.lineage-link').click();
      await page.waitForFunction(
        () => document.body.dataset.route?.startsWith('#!/lineage') && window.shopsmartLineage?.ready,
      );
      const point = await revealOnCanvas(page, next);
      await page.mouse.click(point.x, point.y);
      await expect.poll(() => route(page)).toBe(href(type(next), next));
      if (type(next) === 'exposure') await page.screenshot({ path: join(shots, 'exposure.png') });
    }
    expect(await text(page.locator('main .badge').first())).toMatch(/exposure/i);
    expect(await heading(page)).toBe(manifest.exposures[end as string]?.name);
    // The exposure's url, a route of this site, is a link to this very page.
    const url = page.locator('.details a[href^="#!/"]');
    if ((await url.count()) > 0)
      expect(decodeURIComponent((await url.getAttribute('href')) ?? '')).toBe(`#!/exposure/${end}`);
    await page.close();
  });

  it('filters the graph with the CLI selector grammar', async () => {
    const page = await open(site, '#!/lineage');
    await page.fill('#lineage-select', '+fct_orders');
    await page.click('.lineage-form button');
    await expect
      .poll(() => route(page))
      .toBe(`#!/lineage?select=${encodeURIComponent('+fct_orders').replace(/%20/g, '+')}`);
    const ids = (await page.evaluate(() => window.shopsmartLineage?.ids() ?? [])).sort();
    const ancestors = new Set<string>();
    const walk = (id: string) => {
      if (ancestors.has(id)) return;
      ancestors.add(id);
      for (const parent of manifest.parent_map[id] ?? []) walk(parent);
    };
    walk('model.marts.fct_orders');
    expect(ids).toEqual([...ancestors].filter((id) => !id.startsWith('test.')).sort());
    expect(ids.some((id) => id.startsWith('source.'))).toBe(true);
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(shots, 'lineage-fct-orders.png') });

    await page.fill('#lineage-select', 'package:staging,resource_type:model');
    await page.click('.lineage-form button');
    await page.waitForFunction(() => document.body.dataset.route?.includes('package'));
    const staging = await page.evaluate(() => window.shopsmartLineage?.ids() ?? []);
    expect(staging.length).toBeGreaterThan(5);
    expect(staging.every((id) => id.startsWith('model.staging.'))).toBe(true);

    await page.fill('#lineage-select', 'colour:red');
    await page.click('.lineage-form button');
    expect(await text(page.locator('.lineage-page [role=alert]'))).toMatch(/colour/);
    await page.close();
  });
});

describe('through docs serve (http on loopback)', () => {
  it('renders the same site and its lineage', async () => {
    const server = await serveStatic(site, { host: '127.0.0.1', port: 0 });
    const { port } = server.address() as { port: number };
    const origin = `http://127.0.0.1:${port}/`;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(origin)) outside.push(request.url());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await page.goto(`${origin}#!/lineage?select=${encodeURIComponent('+dim_customers')}`);
      await page.waitForFunction(() => window.shopsmartLineage?.ready);
      expect(await page.evaluate(() => window.shopsmartLineage?.ids() ?? [])).toContain(
        'model.marts.dim_customers',
      );
      expect(outside).toEqual([]);
    } finally {
      await page.close();
      server.close();
    }
  });
});

describe('escaping', () => {
  it('shows hostile descriptions and column names as text and runs none of them', async () => {
    const page = await open(hostileSite, href('model', 'model.hostile.hostile'));
    const main = page.locator('main');
    expect(await text(main)).toContain('Evil');
    expect(await text(main.locator('strong'))).toBe('bold');
    expect(await main.locator('script, iframe').count()).toBe(0);
    // Markdown images may stay, inert: no handler and no source outside the site.
    const handlers = await main.evaluate((element) =>
      [...element.querySelectorAll('*')].flatMap((e) =>
        [...e.attributes]
          .filter((a) => /^on/i.test(a.name) || (a.name === 'src' && !/^data:/.test(a.value)))
          .map((a) => `${e.tagName} ${a.name}`),
      ),
    );
    expect(handlers).toEqual([]);
    expect(
      await text(page.locator('tr[data-column="<img src=x onerror=window.__pwned=3>"] td').first()),
    ).toBe('<img src=x onerror=window.__pwned=3>');
    expect(await text(main)).toContain('plain');
    // Search shows the hostile column's model as text too.
    await page.keyboard.press('/');
    await page.keyboard.type('onerror');
    expect(await text(page.locator('.search-results li').first())).toContain(
      'column <img src=x onerror=window.__pwned=3>',
    );
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: join(shots, 'hostile.png') });
    await page.close();
  });
});

describe('requests', () => {
  it('made none outside the site and raised no script errors', () => {
    expect(requests.length).toBeGreaterThan(5);
    const outside = requests.filter(
      (url) => !url.startsWith(pathToFileURL(site).href) && !url.startsWith(pathToFileURL(hostileSite).href),
    );
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
