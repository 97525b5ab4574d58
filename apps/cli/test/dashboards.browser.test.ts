/// <reference lib="dom" />
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildManifest, generateDocs, readProject } from '@shopsmart/core-runner';
import { generateWarehouse } from '@shopsmart/mockgen';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAndDocument,
  launchChromium,
  openShopsmartIn,
  siteAssets,
  writeDbtProject,
} from './support/docs-browser.js';

/**
 * Each dashboard chart's data, queried here from its mart independently of the exposures' specs:
 * what the chart must plot (x, the heat map's y, then the series in order). Dates as text.
 */
const expectedCharts: Record<string, Record<string, { mart: string; sql: string }>> = {
  executive_kpis: {
    revenue_by_month: {
      mart: 'orders_monthly',
      sql: 'select month_start_date::varchar, total_revenue, last_year_revenue from orders_monthly order by month_start_date',
    },
    orders_and_aov_by_month: {
      mart: 'orders_monthly',
      sql: 'select month_start_date::varchar, total_orders, average_order_value from orders_monthly order by month_start_date',
    },
    yoy_growth_by_month: {
      mart: 'orders_monthly',
      sql: `select month_start_date::varchar, yoy_growth_pct, orders_yoy_growth_pct from orders_monthly
            where last_year_revenue is not null order by month_start_date`,
    },
  },
  customer_insights: {
    segment_shares: {
      mart: 'customer_segments',
      sql: 'select customer_segment, share_of_customers, share_of_lifetime_value from customer_segments order by segment_order',
    },
    segment_table: {
      mart: 'customer_segments',
      sql: `select customer_segment, customer_count, lifetime_value, lifetime_value_per_customer,
              avg_days_since_last_order, avg_rfm_total_score from customer_segments order by segment_order`,
    },
    rfm_recency_frequency: {
      mart: 'customer_analytics',
      sql: `select frequency_score, recency_score, count(customer_id) from customer_analytics
            where rfm_cell is not null group by all order by recency_score, frequency_score`,
    },
    rfm_total_scores: {
      mart: 'customer_analytics',
      sql: `select rfm_total_score, count(*), sum(lifetime_value) from customer_analytics
            where rfm_total_score is not null group by 1 order by 1`,
    },
  },
  product_performance_dashboard: {
    category_revenue: {
      mart: 'product_summary',
      sql: 'select category_name, total_revenue, gross_profit, gross_margin_pct from product_summary order by total_revenue desc, category_id',
    },
    top_products: {
      mart: 'product_performance',
      sql: 'select product_name, revenue, gross_profit from product_performance order by revenue desc, product_id limit 10',
    },
    bottom_products: {
      mart: 'product_performance',
      sql: 'select product_name, revenue, gross_profit from product_performance where is_active order by revenue, product_id limit 10',
    },
    slow_movers: {
      mart: 'product_performance',
      sql: `select product_name, category_name, units_sold_trailing, days_since_last_sale, revenue, gross_margin_pct
            from product_performance where is_slow_mover order by units_sold_trailing, product_id`,
    },
  },
  marketing_performance_dashboard: {
    spend_and_revenue_by_channel: {
      mart: 'campaign_performance',
      sql: `select channel, sum(spend_to_date), sum(acquired_customer_revenue), sum(acquired_customer_gross_profit)
            from campaign_performance group by channel order by channel`,
    },
    roi_by_channel: {
      mart: 'campaign_performance',
      sql: `with by_channel as (
              select channel, sum(spend_to_date) as spend, sum(acquired_customer_revenue) as revenue,
                sum(acquired_customer_gross_profit) as profit
              from campaign_performance group by channel)
            select channel, round((revenue - spend) / spend * 100, 2), round((profit - spend) / spend * 100, 2)
            from by_channel order by channel`,
    },
    cac_by_channel: {
      mart: 'campaign_performance',
      sql: `select channel,
              round(sum(spend_to_date) / sum(customers_acquired_first_touch), 2),
              round(sum(spend_to_date) / sum(customers_acquired_last_touch), 2),
              round(sum(spend_to_date) / sum(customers_acquired_linear), 2)
            from campaign_performance group by channel order by channel`,
    },
    acquisitions_by_model: {
      mart: 'marketing_attribution',
      sql: `select channel,
              coalesce(sum(attribution_weight) filter (where attribution_model = 'first_touch'), 0),
              coalesce(sum(attribution_weight) filter (where attribution_model = 'last_touch'), 0),
              round(coalesce(sum(attribution_weight) filter (where attribution_model = 'linear'), 0), 2)
            from marketing_attribution group by channel order by channel`,
    },
    roi_by_campaign: {
      mart: 'campaign_performance',
      sql: `select campaign_name, roi_on_revenue_pct, roi_on_gross_profit_pct from campaign_performance
            order by roi_on_revenue_pct desc, campaign_id`,
    },
  },
  cohort_retention_dashboard: {
    retention_heat_map: {
      mart: 'cohort_retention',
      sql: `select months_since_signup, cohort_month::varchar, retention_rate from cohort_retention
            where not is_before_order_history order by cohort_month, months_since_signup`,
    },
    retention_milestones: {
      mart: 'cohort_summary',
      sql: `select cohort_month::varchar, retention_rate_month_1, retention_rate_month_3, retention_rate_month_6,
              retention_rate_month_12 from cohort_summary where not is_before_order_history order by cohort_month`,
    },
  },
};

interface Plotted {
  x: unknown[];
  y?: unknown[];
  series: Record<string, unknown[]>;
}

const scratch = mkdtempSync(join(tmpdir(), 'shopsmart-dashboards-'));
const shots = join(scratch, 'screenshots');
const warehouse = join(scratch, 'wh.duckdb');
let site: string;
let browser: Browser;
const pageErrors: string[] = [];
const outside: string[] = [];

/** Rows of `sql` on a warehouse file, as arrays of plain values (numbers, text, null). */
async function query(path: string, sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  try {
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(sql);
    connection.closeSync();
    return reader.getRows().map((row) =>
      row.map((value) => {
        if (value === null || value === undefined) return null;
        if (typeof value === 'bigint') return Number(value);
        if (typeof value === 'object') return 'scale' in value ? Number(String(value)) : String(value);
        return value;
      }),
    );
  } finally {
    instance.closeSync();
  }
}

/** Numbers to a millionth (finer than the cent), so a float's last bits do not decide. */
const same = (value: unknown) => (typeof value === 'number' ? Math.round(value * 1e6) / 1e6 : value);

/** The expected rows in the shape a chart exposes. */
function asPlotted(rows: unknown[][], plotted: Plotted): Plotted {
  const column = (i: number) => rows.map((row) => same(row[i]));
  const names = Object.keys(plotted.series);
  const offset = plotted.y ? 2 : 1;
  // The chart plots exactly the query's columns: none left out, none added.
  for (const row of rows) expect(row.length).toBe(offset + names.length);
  return {
    x: column(0),
    ...(plotted.y ? { y: column(1) } : {}),
    series: Object.fromEntries(names.map((name, i) => [name, column(offset + i)])),
  };
}

function normalised(plotted: Plotted): Plotted {
  return {
    x: plotted.x.map(same),
    ...(plotted.y ? { y: plotted.y.map(same) } : {}),
    series: Object.fromEntries(Object.entries(plotted.series).map(([k, v]) => [k, v.map(same)])),
  };
}

async function open(siteDir: string, exposure: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith(pathToFileURL(scratch).href)) outside.push(request.url());
  });
  await page.goto(
    `${pathToFileURL(join(siteDir, 'index.html')).href}#!/exposure/${encodeURIComponent(`exposure.marts.${exposure}`)}`,
  );
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('figure.chart')].every(
      (f) => f.getAttribute('data-rendered') === 'true' || f.getAttribute('data-missing') === 'true',
    ),
  );
  return page;
}

/** A screenshot of the whole page (the content pane scrolls, so the viewport grows to fit it). */
async function fullShot(page: Page, name: string): Promise<void> {
  const height = await page.evaluate(() => document.querySelector('main')?.scrollHeight ?? 900);
  await page.setViewportSize({ width: 1400, height: Math.min(height + 80, 5000) });
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  await generateWarehouse({ warehousePath: warehouse, scale: 0.05, seed: 11, asOf: '2026-06-30' });
  site = await buildAndDocument(await openShopsmartIn(scratch, warehouse));
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (process.env.KEEP_DOCS_SCREENSHOTS) console.log(`screenshots in ${shots}`);
  else rmSync(scratch, { recursive: true, force: true });
});

describe('the dashboards of the ShopSmart exposures', () => {
  for (const [exposure, charts] of Object.entries(expectedCharts)) {
    it(`${exposure}: every chart plots what a query of its mart returns, and links the mart`, async () => {
      const page = await open(site, exposure);
      const figures = page.locator('figure.chart');
      const names = await figures.evaluateAll((all) => all.map((f) => f.getAttribute('data-chart')));
      expect(names.sort()).toEqual(Object.keys(charts).sort());
      for (const [name, { mart, sql }] of Object.entries(charts)) {
        const figure = page.locator(`figure[data-chart="${name}"]`);
        expect(await figure.getAttribute('data-missing')).toBeNull();
        expect(await figure.getAttribute('data-model')).toBe(`model.marts.${mart}`);
        const link = figure.locator('a.chart-model');
        expect(await link.textContent()).toBe(mart);
        expect(await link.getAttribute('href')).toBe(`#!/model/${encodeURIComponent(`model.marts.${mart}`)}`);
        const plotted = JSON.parse((await figure.getAttribute('data-series')) ?? '{}') as Plotted;
        const rows = await query(warehouse, sql);
        if ((await figure.getAttribute('data-kind')) !== 'table') {
          expect(rows.length, `${name} has data`).toBeGreaterThan(0);
          expect(await figure.locator('canvas').count(), `${name} is drawn`).toBeGreaterThan(0);
        }
        expect(normalised(plotted), name).toEqual(asPlotted(rows, plotted));
      }
      // No notice: the build these dashboards read passed its tests.
      expect(await page.locator('.upstream-notice').count()).toBe(0);
      await fullShot(page, exposure);
      await page.close();
    });
  }

  it('formats money and percentages in tables, and a chart link opens its mart', async () => {
    const page = await open(site, 'customer_insights');
    const vip = page.locator('figure[data-chart="segment_table"] tbody tr').first();
    const cells = (await vip.locator('td').allTextContents()).map((t) => t.trim());
    const [segment, customers, ltv, ltvPerCustomer] = cells;
    const [row] = await query(
      warehouse,
      "select customer_count, lifetime_value, lifetime_value_per_customer from customer_segments where customer_segment = 'vip'",
    );
    const dollars = (n: unknown) =>
      `$${Number(n).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    expect(segment).toBe('vip');
    expect(customers).toBe(Number(row?.[0]).toLocaleString('en-US'));
    expect(ltv).toBe(dollars(row?.[1]));
    expect(ltvPerCustomer).toBe(dollars(row?.[2]));
    await page.locator('figure[data-chart="segment_table"] a.chart-model').click();
    await expect
      .poll(() => page.evaluate(() => document.body.dataset.route))
      .toBe(`#!/model/${encodeURIComponent('model.marts.customer_segments')}`);
    expect(await page.locator('main h1').textContent()).toBe('customer_segments');
    await page.close();

    const products = await open(site, 'product_performance_dashboard');
    const margin = products.locator('figure[data-chart="slow_movers"] tbody tr td').last();
    if ((await margin.count()) > 0) expect((await margin.textContent())?.trim()).toMatch(/^(—|-?[\d,.]+%)$/);
    await products.close();
  });
});

describe('a warehouse that lacks a mart, and a last run whose upstream tests failed', () => {
  let broken: string;
  let failedTest: string;

  beforeAll(async () => {
    // A copy of the warehouse without cohort_summary, and last run's results with a test of
    // orders_monthly failed and customer_segments skipped.
    const dir = join(scratch, 'broken');
    mkdirSync(join(dir, 'target'), { recursive: true });
    const copy = join(dir, 'wh.duckdb');
    copyFileSync(warehouse, copy);
    const instance = await DuckDBInstance.create(copy);
    const connection = await instance.connect();
    await connection.run('drop table cohort_summary');
    connection.closeSync();
    instance.closeSync();
    const runResults = JSON.parse(readFileSync(join(scratch, 'target', 'run_results.json'), 'utf8')) as {
      results: { unique_id: string; status: string }[];
    };
    const manifest = JSON.parse(readFileSync(join(scratch, 'target', 'manifest.json'), 'utf8')) as {
      nodes: Record<string, { resource_type: string; attached_node?: string }>;
    };
    failedTest =
      Object.entries(manifest.nodes).find(
        ([, n]) => n.resource_type === 'test' && n.attached_node === 'model.marts.orders_monthly',
      )?.[0] ?? '';
    expect(failedTest).not.toBe('');
    for (const result of runResults.results) {
      if (result.unique_id === failedTest) result.status = 'fail';
      if (result.unique_id === 'model.marts.customer_segments') result.status = 'skipped';
    }
    writeFileSync(join(dir, 'target', 'run_results.json'), JSON.stringify(runResults));
    const docs = await generateDocs(await openShopsmartIn(dir, copy), { siteAssets });
    expect(docs.charts.missing).toBe(1);
    broken = docs.siteDir as string;
  }, 120_000);

  it('says which chart has no data, and draws the rest', async () => {
    const page = await open(broken, 'cohort_retention_dashboard');
    const missing = page.locator('figure[data-chart="retention_milestones"]');
    expect(await missing.getAttribute('data-missing')).toBe('true');
    expect(await missing.locator('.chart-missing').textContent()).toMatch(
      /No data: "wh"\."main"\."cohort_summary" is not in the warehouse: build it first \(shopsmart build --select \+cohort_summary\)/,
    );
    expect(await page.locator('figure[data-chart="retention_heat_map"]').getAttribute('data-rendered')).toBe(
      'true',
    );
    await fullShot(page, 'missing-mart');
    await page.close();
  });

  it('names the upstream nodes that failed or were skipped on the pages of the exposures they feed', async () => {
    const page = await open(broken, 'executive_kpis');
    const notice = page.locator('.upstream-notice');
    expect(await notice.count()).toBe(1);
    const failedName = failedTest.split('.')[2] as string;
    const items = await notice
      .locator('li')
      .evaluateAll((all) => all.map((li) => [li.getAttribute('data-id'), li.textContent ?? '']));
    const byId = new Map(items as [string, string][]);
    expect(byId.get('model.marts.orders_monthly')).toContain(`tests: ${failedName} (fail)`);
    expect(byId.get('model.marts.customer_segments')).toContain('skipped');
    expect(await notice.textContent()).toMatch(/Upstream failures in the last run/);
    await fullShot(page, 'upstream-failed');
    await page.close();

    // customer_insights reads customer_segments (skipped), not orders_monthly; the cohort dashboard neither.
    const customers = await open(broken, 'customer_insights');
    expect(
      await customers
        .locator('.upstream-notice li')
        .evaluateAll((all) => all.map((li) => li.getAttribute('data-id'))),
    ).toEqual(['model.marts.customer_segments']);
    await customers.close();
    const cohorts = await open(broken, 'cohort_retention_dashboard');
    expect(await cohorts.locator('.upstream-notice').count()).toBe(0);
    await cohorts.close();
  });
});

describe('escaping on a dashboard', () => {
  it('shows hostile chart titles, labels and warehouse values as text and runs none of them', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const dir = writeDbtProject({
      'models/sales.sql': `select '<script>window.__pwned=2</script>' as name, 10.5 as amount union all select 'plain', 2`,
      'models/schema.yml': [
        'version: 2',
        'models:',
        '  - name: sales',
        '    columns: [{ name: name }, { name: amount }]',
        'exposures:',
        '  - name: board',
        '    type: dashboard',
        '    owner: { name: "<b>owner</b>" }',
        "    depends_on: [ref('sales')]",
        '    meta:',
        '      dashboard:',
        '        charts:',
        `          - { name: bars, model: sales, title: ${JSON.stringify(hostile)}, description: ${JSON.stringify(hostile)}, x: name, series: [{ column: amount, label: ${JSON.stringify(hostile)}, format: money }], order_by: name }`,
        `          - { name: rows, model: sales, kind: table, title: t, x: { column: name, label: ${JSON.stringify(hostile)}, format: text }, series: [{ column: amount, format: money }], order_by: name }`,
        '',
      ].join('\n'),
    });
    try {
      const definition = await readProject(dir);
      const target = definition.targets[definition.defaultTarget];
      if (!target) throw new Error('fixture has no target');
      const hostileSite = await buildAndDocument(await buildManifest({ definition, target, cliVars: {} }));
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(
        `${pathToFileURL(join(hostileSite, 'index.html')).href}#!/exposure/${encodeURIComponent('exposure.hostile.board')}`,
      );
      await page.waitForSelector('figure[data-chart="bars"][data-rendered="true"]');
      const dashboard = page.locator('section.dashboard');
      expect(await dashboard.locator('figure[data-chart="bars"] h3').textContent()).toBe(hostile);
      expect(await dashboard.locator('figure[data-chart="rows"] th').first().textContent()).toBe(hostile);
      expect(await dashboard.locator('figure[data-chart="rows"] tbody td').first().textContent()).toBe(
        '<script>window.__pwned=2</script>',
      );
      expect(await dashboard.locator('figure[data-chart="rows"] tbody td').nth(1).textContent()).toBe(
        '$10.50',
      );
      expect(await page.locator('main img, main script').count()).toBe(0);
      // Hovering the bars shows the canvas-drawn tooltip with the hostile names, as text.
      const canvas = dashboard.locator('figure[data-chart="bars"] canvas').first();
      const box = await canvas.boundingBox();
      if (box) await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.6);
      await page.waitForTimeout(200);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      await page.screenshot({ path: join(shots, 'hostile-dashboard.png') });
      await page.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the dashboards', () => {
  it('made no requests outside the site and raised no script errors', () => {
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
