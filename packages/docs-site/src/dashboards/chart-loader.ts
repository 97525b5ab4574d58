import type { ChartsApi } from '../charts-entry.js';

declare global {
  interface Window {
    __SHOPSMART_CHARTS__?: ChartsApi;
  }
}

let loading: Promise<ChartsApi> | undefined;

/**
 * The charting script (`docs-charts.js`, ECharts), loaded the first time a dashboard is opened:
 * it is four times the size of the rest of the site, and most pages draw no chart. A classic
 * script from the site's own folder, so it loads from file:// and under the site's CSP.
 */
export function loadCharts(): Promise<ChartsApi> {
  if (window.__SHOPSMART_CHARTS__) return Promise.resolve(window.__SHOPSMART_CHARTS__);
  loading ??= new Promise<ChartsApi>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = 'docs-charts.js';
    script.onload = () =>
      window.__SHOPSMART_CHARTS__
        ? resolve(window.__SHOPSMART_CHARTS__)
        : reject(new Error('docs-charts.js loaded without its charts'));
    script.onerror = () => {
      loading = undefined;
      reject(new Error('docs-charts.js could not be loaded'));
    };
    document.head.appendChild(script);
  });
  return loading;
}
