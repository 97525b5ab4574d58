// The docs site at scale: a generated dbt project of 1,000 models (tables in layers, each with
// documented columns and two tests on its key) is built and documented with the real CLI, then the
// site is opened from the file system in headless chromium. Prints first render, navigation,
// search and lineage timings; asserts nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(root, 'apps/cli/dist/bin.js');
const { chromium } = createRequire(join(root, 'apps/cli/package.json'))('playwright-core');
const chromiumPath = '/usr/bin/chromium';
const models = 1000;
const line = (label, value) => console.log(`  ${label.padEnd(48)} ${value}`);
console.log(`docs site bench — ${models} models, node ${process.version}`);
if (!existsSync(chromiumPath)) {
  console.log(`  (skipped: ${chromiumPath} is missing; apt-get install -y chromium)`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'shopsmart-docs-bench-'));
const write = (path, text) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};
write(
  'dbt_project.yml',
  'name: big\nprofile: big\nconfig-version: 2\nmodels:\n  big:\n    +materialized: table\n',
);
write(
  'profiles.yml',
  `big:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${join(dir, 'wh.duckdb')}\n      threads: 2\n`,
);
// Ten layers of 100 models; each model reads one to three models of the layer before it.
const layers = [
  'base',
  'clean',
  'joined',
  'enriched',
  'daily',
  'weekly',
  'customer',
  'product',
  'finance',
  'report',
];
const name = (i) => `${layers[Math.floor(i / 100)]}_${String(i % 100).padStart(3, '0')}`;
for (let i = 0; i < models; i++) {
  const layer = Math.floor(i / 100);
  const parents =
    layer === 0
      ? []
      : [...new Set([0, 37, 71].slice(0, 1 + (i % 3)).map((k) => (layer - 1) * 100 + ((i + k) % 100)))];
  const from = parents.length
    ? parents
        .map((p, k) =>
          k === 0 ? `from {{ ref('${name(p)}') }} as p0` : `join {{ ref('${name(p)}') }} as p${k} using (id)`,
        )
        .join('\n')
    : 'from range(10) as r(id)';
  write(
    `models/${layers[layer]}/${name(i)}.sql`,
    `select\n  ${parents.length ? 'p0.id' : 'id'} as id,\n  ${i} as model_number,\n  'model ${i}' as label,\n  ${parents.length ? 'p0.amount + 1' : 'id * 1.5'} as amount,\n  current_date as as_of_date\n${from}\n`,
  );
  write(
    `models/${layers[layer]}/_${name(i)}.yml`,
    `version: 2\nmodels:\n  - name: ${name(i)}\n    description: "Model ${i} of the ${layers[layer]} layer: **one row per id**, amounts carried from its parents."\n    tags: [${layers[layer]}, ${i % 2 ? 'odd' : 'even'}]\n    columns:\n      - name: id\n        description: the key\n        data_tests: [unique, not_null]\n      - name: model_number\n        description: which model this is\n      - name: label\n        description: a label\n      - name: amount_${i}\n        description: an amount (named per model so search by column finds one)\n      - name: as_of_date\n        description: the date of the build\n`,
  );
}
// A dashboard exposure on the last layer: the site draws its charts, read at docs generate.
write(
  'models/_exposures.yml',
  `version: 2\nexposures:\n  - name: board\n    type: dashboard\n    owner: { name: Bench }\n    depends_on: [ref('${name(900)}'), ref('${name(901)}')]\n    meta:\n      dashboard:\n        charts:\n${[
    900, 901,
  ]
    .flatMap((m) => [
      `          - { name: amounts_${m}, model: ${name(m)}, kind: bar, x: id, series: [{ column: amount, format: money }], order_by: id }`,
      `          - { name: trend_${m}, model: ${name(m)}, kind: line, x: id, series: [{ column: total, sql: sum(amount), format: money }], group_by: [id], order_by: id }`,
    ])
    .join('\n')}\n`,
);

const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
try {
  let t = performance.now();
  execFileSync(process.execPath, [cli, 'run', '--project-dir', dir], { stdio: 'ignore' });
  line('shopsmart run (1,000 tables)', `${(performance.now() - t).toFixed(0)} ms`);
  t = performance.now();
  const out = execFileSync(process.execPath, [cli, 'docs', 'generate', '--project-dir', dir], {
    encoding: 'utf8',
  });
  line(
    'shopsmart docs generate (process)',
    `${(performance.now() - t).toFixed(0)} ms  (${out.match(/^Docs site: .*?\(([^)]*)\)/m)?.[1] ?? ''})`,
  );

  const url = pathToFileURL(join(dir, 'target', 'docs', 'index.html')).href;
  const firstRenders = [];
  let page;
  for (let run = 0; run < 3; run++) {
    await page?.close();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    firstRenders.push(
      await page.evaluate(() => {
        const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? Number.NaN;
        return {
          data: at('docs:start'),
          model: at('docs:model-built'),
          shell: at('docs:shell-built'),
          done: at('docs:first-render'),
        };
      }),
    );
  }
  line(
    'first render (navigation start → overview drawn)',
    `${firstRenders.map((r) => r.done.toFixed(0)).join(' / ')} ms (3 fresh pages)`,
  );
  const last = firstRenders[2];
  line(
    '  of which load + parse data / index / shell / page',
    `${last.data.toFixed(0)} / ${(last.model - last.data).toFixed(0)} / ${(last.shell - last.model).toFixed(0)} / ${(last.done - last.shell).toFixed(0)} ms`,
  );

  // Navigation: hash change → the page is in the DOM and the next frame is painted.
  const navigate = (hash) =>
    page.evaluate(
      (target) =>
        new Promise((resolve) => {
          const started = performance.now();
          document.addEventListener(
            'docs:rendered',
            () => requestAnimationFrame(() => resolve(performance.now() - started)),
            { once: true },
          );
          location.hash = target;
        }),
      hash,
    );
  const times = [];
  for (let i = 0; i < 40; i++) {
    const id = `model.big.${name((i * 97) % models)}`;
    times.push(await navigate(`#!/model/${encodeURIComponent(id)}`));
  }
  times.sort((a, b) => a - b);
  line(
    'navigation to a model page (40 pages)',
    `median ${times[20].toFixed(1)} ms, max ${times[39].toFixed(1)} ms`,
  );

  // A dashboard: the page, then its charts (the first time also loads docs-charts.js, ECharts).
  const board = () =>
    page.evaluate(
      (target) =>
        new Promise((resolve) => {
          const started = performance.now();
          let pageMs;
          document.addEventListener(
            'docs:rendered',
            () =>
              requestAnimationFrame(() => {
                pageMs = performance.now() - started;
              }),
            { once: true },
          );
          document.addEventListener(
            'docs:charts-drawn',
            () =>
              requestAnimationFrame(() =>
                requestAnimationFrame(() =>
                  resolve({
                    page: pageMs ?? performance.now() - started,
                    charts: performance.now() - started,
                  }),
                ),
              ),
            { once: true },
          );
          location.hash = target;
        }),
      `#!/exposure/${encodeURIComponent('exposure.big.board')}`,
    );
  await navigate('#!/overview');
  const firstBoard = await board();
  const boards = [];
  for (let i = 0; i < 10; i++) {
    await navigate('#!/overview');
    boards.push(await board());
  }
  const median = (key) => boards.map((b) => b[key]).sort((a, b) => a - b)[5];
  const max = (key) => Math.max(...boards.map((b) => b[key]));
  const drawn = await page.locator('figure.chart[data-rendered="true"] canvas').count();
  line(
    'dashboard, first visit: page / 4 charts drawn',
    `${firstBoard.page.toFixed(1)} / ${firstBoard.charts.toFixed(1)} ms (loads docs-charts.js)`,
  );
  line(
    'dashboard, again (10 times): page / charts drawn',
    `median ${median('page').toFixed(1)} / ${median('charts').toFixed(1)} ms, max ${max('page').toFixed(1)} / ${max('charts').toFixed(1)} ms (${drawn} canvases)`,
  );

  const search = await page.evaluate(async () => {
    const input = document.getElementById('search');
    const started = performance.now();
    input.value = 'amount_512';
    input.dispatchEvent(new Event('input'));
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return {
      ms: performance.now() - started,
      first: document.querySelector('.search-results li')?.getAttribute('data-id'),
    };
  });
  line('search by column name (amount_512 → first hit)', `${search.ms.toFixed(1)} ms → ${search.first}`);

  const lineage = async (hash) => {
    const ms = await navigate(hash);
    await page.waitForFunction(() => window.shopsmartLineage?.ready);
    const count = await page.evaluate(() => window.shopsmartLineage?.ids().length);
    return { ms, count };
  };
  const neighbourhood = await lineage(`#!/lineage?select=${encodeURIComponent(`+${name(555)}+`)}`);
  line('lineage +x+ (layout + draw)', `${neighbourhood.ms.toFixed(0)} ms (${neighbourhood.count} nodes)`);
  const whole = await lineage('#!/lineage');
  line(
    'lineage of the whole project, first time (layout)',
    `${whole.ms.toFixed(0)} ms (${whole.count} nodes)`,
  );
  await navigate('#!/overview');
  const again = await lineage('#!/lineage');
  line('lineage of the whole project, again (layout cached)', `${again.ms.toFixed(0)} ms`);
  const zoom = await page.evaluate(async () => {
    const canvas = document.querySelector('canvas.lineage-canvas');
    const box = canvas.getBoundingClientRect();
    const frames = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      canvas.dispatchEvent(
        new WheelEvent('wheel', {
          deltaY: i < 10 ? -120 : 120,
          clientX: box.left + box.width / 2,
          clientY: box.top + box.height / 2,
          bubbles: true,
          cancelable: true,
        }),
      );
      await new Promise((resolve) => requestAnimationFrame(resolve));
      frames.push(performance.now() - started);
    }
    frames.sort((a, b) => a - b);
    return { median: frames[10], max: frames[19] };
  });
  line(
    'zoom step on the whole-project canvas (20 frames)',
    `median ${zoom.median.toFixed(1)} ms, max ${zoom.max.toFixed(1)} ms`,
  );
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
