import type { ChartData, DashboardData } from '@shopsmart/core-runner';
import { type DocNode, type DocsModel, nodeHref } from '../docs-model.js';
import { h } from '../dom.js';
import { loadCharts } from './chart-loader.js';
import { type PlottedSeries, plotted } from './chart-option.js';
import { formatValue } from './value-format.js';

type Chart = { dispose(): void; resize(): void };

/** Charts built for the page being rendered, drawn once it is in the document. */
let pending: { element: HTMLElement; chart: ChartData; data: PlottedSeries }[] = [];
let drawn: Chart[] = [];

function chartHeight(chart: ChartData, data: PlottedSeries): number {
  if (chart.spec.kind === 'heatmap') return Math.max(320, new Set(data.y).size * 18 + 120);
  if (chart.spec.horizontal) return Math.max(240, data.x.length * 30 + 80);
  return 320;
}

function table(chart: ChartData, data: PlottedSeries): HTMLElement {
  const columns = [chart.spec.x, ...chart.spec.series];
  if (data.x.length === 0) return h('p', { class: 'muted chart-empty' }, 'No rows.');
  return h(
    'table',
    { class: 'columns chart-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((c) => h('th', { class: c.format === 'text' ? '' : 'num' }, c.label)),
      ),
    ),
    h(
      'tbody',
      {},
      data.x.map((x, i) =>
        h(
          'tr',
          {},
          h('td', {}, formatValue(x, chart.spec.x.format)),
          chart.spec.series.map((s) =>
            h(
              'td',
              { class: s.format === 'text' ? '' : 'num' },
              formatValue(data.series[s.column]?.[i], s.format),
            ),
          ),
        ),
      ),
    ),
  );
}

function source(model: DocsModel, chart: ChartData): HTMLElement {
  const mart = chart.modelId ? model.nodes.get(chart.modelId) : undefined;
  return h(
    'p',
    { class: 'chart-source' },
    'From ',
    mart
      ? h('a', { href: nodeHref(mart), class: 'chart-model' }, mart.name)
      : h('span', { class: 'mono' }, chart.spec.model),
    chart.relation ? h('span', { class: 'muted mono' }, ` (${chart.relation})`) : null,
  );
}

function figure(model: DocsModel, chart: ChartData): HTMLElement {
  const spec = chart.spec;
  const caption = h(
    'figcaption',
    {},
    h('h3', {}, spec.title),
    source(model, chart),
    spec.description ? h('p', { class: 'muted chart-description' }, spec.description) : null,
  );
  if (chart.missing)
    return h(
      'figure',
      { class: 'chart chart-no-data', 'data-chart': spec.name, 'data-missing': 'true' },
      caption,
      h('p', { class: 'chart-missing', role: 'status' }, `No data: ${chart.missing}.`),
    );
  const data = plotted(chart);
  const body =
    spec.kind === 'table'
      ? table(chart, data)
      : h('div', { class: 'chart-canvas', style: `height: ${chartHeight(chart, data)}px` });
  if (spec.kind !== 'table') pending.push({ element: body, chart, data });
  return h(
    'figure',
    {
      class: `chart chart-${spec.kind}`,
      'data-chart': spec.name,
      'data-kind': spec.kind,
      'data-model': chart.modelId,
      // What is plotted, as plotted: browser tests compare it with their own query of the mart.
      'data-series': JSON.stringify(data),
      'data-rendered': spec.kind === 'table' ? 'true' : undefined,
    },
    caption,
    body,
  );
}

/**
 * An exposure's dashboard: one figure per chart, each naming and linking the mart it reads, or
 * saying why it has no data (the mart was not built when the site was generated).
 */
export function dashboardSection(model: DocsModel, node: DocNode): HTMLElement | null {
  const dashboard: DashboardData | undefined = model.dashboards[node.id];
  if (!dashboard) return null;
  return h(
    'section',
    { class: 'dashboard', 'data-exposure': node.id },
    h('h2', {}, 'Dashboard'),
    h('p', { class: 'muted' }, `Read from the warehouse when the site was generated (${model.generatedAt}).`),
    dashboard.problems.length
      ? h(
          'div',
          { class: 'error', role: 'alert' },
          'The dashboard spec (meta.dashboard) has problems:',
          h(
            'ul',
            {},
            dashboard.problems.map((p) => h('li', {}, p)),
          ),
        )
      : null,
    h(
      'div',
      { class: 'chart-grid' },
      dashboard.charts.map((chart) => figure(model, chart)),
    ),
  );
}

/**
 * Draws the charts of the page just put in the document, in the next frame once the charting
 * script is there (loaded by the first dashboard). When all are drawn the page's dashboard gets
 * `data-charts-drawn` and a `docs:charts-drawn` event fires.
 */
export function drawPendingCharts(): void {
  const batch = pending;
  pending = [];
  if (batch.length === 0) return;
  const draw = (api: Awaited<ReturnType<typeof loadCharts>>) => {
    for (const { element, chart, data } of batch) {
      if (!element.isConnected) continue;
      drawn.push(api.draw(element, chart, data));
      element.closest('figure')?.setAttribute('data-rendered', 'true');
    }
    const section = batch[0]?.element.closest('section.dashboard');
    if (section?.isConnected) {
      section.setAttribute('data-charts-drawn', 'true');
      document.dispatchEvent(new CustomEvent('docs:charts-drawn'));
    }
  };
  // Drawn once the page is painted (the task after the next frame): navigation stays quick,
  // the charts follow.
  const ready = window.__SHOPSMART_CHARTS__;
  if (ready) requestAnimationFrame(() => setTimeout(() => draw(ready), 0));
  else
    loadCharts().then(draw, (error: Error) => {
      for (const { element } of batch) {
        element.replaceWith(h('p', { class: 'chart-missing', role: 'status' }, error.message));
      }
    });
}

/** Frees the charts of the page being left. */
export function disposeCharts(): void {
  for (const chart of drawn) chart.dispose();
  drawn = [];
  pending = [];
}

/** Fits the drawn charts to a resized window. */
export function resizeCharts(): void {
  for (const chart of drawn) chart.resize();
}
