import type { ChartData } from '@shopsmart/core-runner';
import { chartOption, type PlottedSeries } from './dashboards/chart-option.js';
import { echarts } from './dashboards/echarts-setup.js';

/** What docs-charts.js gives the site once loaded (see dashboards/chart-loader.ts). */
export interface ChartsApi {
  draw(element: HTMLElement, chart: ChartData, data: PlottedSeries): { dispose(): void; resize(): void };
}

const api: ChartsApi = {
  draw(element, chart, data) {
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    instance.setOption(chartOption(chart, data));
    return instance;
  },
};

(globalThis as { __SHOPSMART_CHARTS__?: ChartsApi }).__SHOPSMART_CHARTS__ = api;
