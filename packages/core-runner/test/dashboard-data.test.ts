import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardData, dashboardSpec, generateDocs, type ProjectNode } from '../src/index.js';
import { type Fixture, loadFixture, queryWarehouse, runFixture, writeFixture } from './fixture-project.js';

const files = {
  'models/sales.sql': [
    "select 1 as sale_id, 'books' as category, 10.25::decimal(18,2) as amount union all",
    "select 2, 'books', 4.50::decimal(18,2) union all",
    "select 3, 'toys', 99.99::decimal(18,2)",
  ].join('\n'),
  'models/unbuilt.sql': 'select 1 as id',
  'models/elsewhere.sql': 'select 1 as id',
  'models/exposures.yml': `version: 2
exposures:
  - name: sales_board
    type: dashboard
    owner: { name: Sales }
    depends_on: [ref('sales'), ref('unbuilt')]
    meta:
      dashboard:
        charts:
          - name: by_category
            model: sales
            x: { column: category, format: text }
            series:
              - { column: revenue, sql: sum(amount), format: money }
              - { column: sales, sql: count(*), format: count }
            group_by: [category]
            order_by: category
          - name: not_built
            model: unbuilt
            x: id
            series: [id]
          - name: not_a_dependency
            model: elsewhere
            x: id
            series: [id]
  - name: broken_board
    type: dashboard
    owner: { name: Sales }
    depends_on: [ref('sales')]
    meta:
      dashboard:
        charts:
          - name: bad
            model: sales
            kind: pie
            x: "category; drop table sales"
            series: []
            where: "1 = 1; drop table sales"
`,
};

let fx: Fixture;
let site: string;
let dashboards: Record<string, DashboardData>;

beforeAll(async () => {
  fx = writeFixture(files);
  const project = await loadFixture(fx.dir);
  await runFixture(project, { command: 'run', select: ['sales', 'elsewhere'] });
  const assets = mkdtempSync(join(tmpdir(), 'ssa-site-'));
  writeFileSync(join(assets, 'index.html'), '<!doctype html>');
  site = assets;
  await generateDocs(project, { siteAssets: assets });
  const script = readFileSync(join(fx.dir, 'target', 'docs', 'docs-data.js'), 'utf8');
  const global: { __SHOPSMART_DOCS__?: { dashboards: Record<string, DashboardData> } } = {};
  new Function('globalThis', script)(global);
  dashboards = global.__SHOPSMART_DOCS__?.dashboards ?? {};
}, 120_000);

afterAll(() => {
  fx?.remove();
  if (site) rmSync(site, { recursive: true, force: true });
});

describe('dashboards read at docs generate', () => {
  it("runs each chart's select on its mart and stores the rows in the site's data file", async () => {
    const [chart] = dashboards['exposure.fixture.sales_board']?.charts ?? [];
    expect(chart?.modelId).toBe('model.fixture.sales');
    expect(chart?.columns).toEqual(['category', 'revenue', 'sales']);
    expect(chart?.sql).toMatch(
      /^select "category", sum\(amount\) as "revenue", count\(\*\) as "sales" from .*"sales" group by "category" order by category$/,
    );
    const expected = await queryWarehouse(
      fx.warehouse,
      'select category, sum(amount)::double as revenue, count(*) as n from sales group by 1 order by 1',
    );
    expect(chart?.rows).toEqual(expected.map((r) => [r.category, r.revenue, r.n]));
    expect(chart?.rows).toEqual([
      ['books', 14.75, 2],
      ['toys', 99.99, 1],
    ]);
  });

  it('says a mart is not built, or not a dependency, instead of failing the generate', () => {
    const [, notBuilt, notDependency] = dashboards['exposure.fixture.sales_board']?.charts ?? [];
    expect(notBuilt?.rows).toEqual([]);
    expect(notBuilt?.missing).toMatch(/"unbuilt" is not in the warehouse.*build --select \+unbuilt/);
    expect(notDependency?.missing).toMatch(
      /does not depend on a model named 'elsewhere'.*ref\('elsewhere'\)/,
    );
  });

  it('collects every problem of a bad spec and runs none of it', async () => {
    const board = dashboards['exposure.fixture.broken_board'];
    expect(board?.charts).toEqual([]);
    expect(board?.problems).toEqual([
      "chart 1 (bad): kind 'pie' is not one of bar, line, heatmap, table",
      'chart 1 (bad) x: needs a column name (letters, digits and _), or { column, sql, label, format }',
      'chart 1 (bad): needs at least one series',
      "chart 1 (bad): where must be one SQL expression (no ';')",
    ]);
    expect(await queryWarehouse(fx.warehouse, 'select count(*) as n from sales')).toEqual([{ n: 3 }]);
  });
});

describe('dashboardSpec', () => {
  it('takes formats from the column names when none is given (_pct 0–100, _rate and _share 0–1)', () => {
    const exposure = {
      meta: {
        dashboard: {
          charts: [
            {
              name: 'c',
              model: 'm',
              x: 'month',
              series: ['growth_pct', 'retention_rate', 'share_of_x', 'orders'],
            },
          ],
        },
      },
    } as unknown as ProjectNode;
    const { charts, problems } = dashboardSpec(exposure);
    expect(problems).toEqual([]);
    expect(charts[0]?.series.map((s) => s.format)).toEqual(['pct', 'rate', 'rate', 'number']);
    expect(charts[0]?.kind).toBe('bar');
  });
});
