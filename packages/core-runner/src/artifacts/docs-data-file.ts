import type { ChartSpec } from './dashboard-spec.js';

/** The global the docs site reads its data from (`target/docs/docs-data.js`). */
export const DOCS_DATA_GLOBAL = '__SHOPSMART_DOCS__';

/** One chart's data, read from its mart at `docs generate` time. */
export interface ChartData {
  spec: ChartSpec;
  /** The mart (model) the chart reads; absent when the exposure does not depend on it. */
  modelId?: string;
  /** The mart's relation as the adapter renders it. */
  relation?: string;
  /** The select that was run. */
  sql?: string;
  /** Result columns, in the order of x, y (heat map) and the series. */
  columns: string[];
  /** One array per result row, values in `columns` order (numbers, text, dates as text, null). */
  rows: unknown[][];
  /** Why there are no rows: the mart is not built, or the query failed. */
  missing?: string;
}

/** An exposure's dashboard: its charts, and the problems of its `meta.dashboard` spec. */
export interface DashboardData {
  charts: ChartData[];
  problems: string[];
}

/** What `docs generate` hands the site: the four artifacts as written, and the dashboards' data, once. */
export interface DocsData {
  manifest: unknown;
  catalog: unknown;
  runResults: unknown | null;
  sources: unknown | null;
  /** By exposure unique id. */
  dashboards: Record<string, DashboardData>;
}

/**
 * The artifacts as one script, so the site opens from file:// (where fetch of local files is
 * blocked) and parses its data once. JSON is valid JavaScript (ES2019), so no escaping is needed
 * beyond JSON's own; the file is loaded by `<script src>`, never inlined into HTML.
 *
 * @example
 * docsDataScript({ manifest, catalog, runResults: null, sources: null, dashboards: {} });
 * // → 'globalThis.__SHOPSMART_DOCS__ = {"manifest":{…},"catalog":{…},"runResults":null,"sources":null,"dashboards":{}};\n'
 */
export function docsDataScript(data: DocsData): string {
  return `globalThis.${DOCS_DATA_GLOBAL} = ${JSON.stringify(data)};\n`;
}
