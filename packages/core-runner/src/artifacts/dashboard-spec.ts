import type { ProjectNode } from '../project/project-types.js';

/** How a value is shown: dollars, a 0–100 percentage, a 0–1 fraction, a count, a number, text or a date. */
export type ValueFormat = 'money' | 'pct' | 'rate' | 'count' | 'number' | 'text' | 'date';

/** One column a chart plots (or a table shows). */
export interface SeriesSpec {
  /** The result column: a column of the mart, or the alias of `sql`. */
  column: string;
  /** An expression over the mart (`count(*)`, `sum(spend_to_date)`); without it the column itself. */
  sql?: string;
  label: string;
  format: ValueFormat;
  /** Bar or line (bar and line charts); a series on the right axis when its unit differs. */
  type?: 'bar' | 'line';
  axis?: 'left' | 'right';
}

/** A chart of an exposure's dashboard, as written under the exposure's `meta.dashboard.charts`. */
export interface ChartSpec {
  name: string;
  title: string;
  description: string;
  /** The mart it reads: a model (by name) the exposure depends on. */
  model: string;
  kind: 'bar' | 'line' | 'heatmap' | 'table';
  horizontal: boolean;
  /** The category or time axis (bar, line), the heat map's columns, a table's first column. */
  x: SeriesSpec;
  /** The heat map's rows. */
  y?: SeriesSpec;
  series: SeriesSpec[];
  where?: string;
  groupBy: string[];
  orderBy?: string;
  limit?: number;
}

const kinds = new Set(['bar', 'line', 'heatmap', 'table']);
const formats = new Set(['money', 'pct', 'rate', 'count', 'number', 'text', 'date']);
const plainName = /^[A-Za-z_][A-Za-z0-9_]*$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The project's naming rule: `_pct` is 0–100, `_rate` / `_share` 0–1; otherwise a plain number. */
export function formatForColumn(column: string): ValueFormat {
  if (/_pct$/.test(column)) return 'pct';
  if (/(_rate|_share)$/.test(column) || /^share_of_/.test(column)) return 'rate';
  return 'number';
}

function series(value: unknown, where: string, problems: string[]): SeriesSpec | undefined {
  const entry = typeof value === 'string' ? { column: value } : value;
  if (!isObject(entry) || typeof entry.column !== 'string' || !plainName.test(entry.column)) {
    problems.push(`${where}: needs a column name (letters, digits and _), or { column, sql, label, format }`);
    return undefined;
  }
  const format = entry.format === undefined ? formatForColumn(entry.column) : String(entry.format);
  if (!formats.has(format))
    problems.push(`${where}: format '${format}' is not one of ${[...formats].join(', ')}`);
  if (entry.sql !== undefined && typeof entry.sql !== 'string') problems.push(`${where}: sql must be text`);
  return {
    column: entry.column,
    ...(typeof entry.sql === 'string' ? { sql: entry.sql } : {}),
    label: typeof entry.label === 'string' ? entry.label : entry.column.replace(/_/g, ' '),
    format: format as ValueFormat,
    ...(entry.type === 'line' || entry.type === 'bar' ? { type: entry.type } : {}),
    ...(entry.axis === 'right' ? { axis: 'right' as const } : {}),
  };
}

/**
 * The charts an exposure declares under `meta.dashboard.charts`, checked; problems come back as
 * a list (`chart 2 (top_products): …`) rather than one thrown error, so every one is reported.
 *
 * @example
 * dashboardSpec(exposure);
 * // → { charts: [{ name: 'revenue_by_month', model: 'orders_monthly', kind: 'bar', x: { column: 'month_start_date', … }, series: [ … ] }], problems: [] }
 */
export function dashboardSpec(exposure: ProjectNode): { charts: ChartSpec[]; problems: string[] } {
  const dashboard = exposure.meta?.dashboard;
  const problems: string[] = [];
  const charts: ChartSpec[] = [];
  if (dashboard === undefined) return { charts, problems };
  const list = isObject(dashboard) ? dashboard.charts : undefined;
  if (!Array.isArray(list)) return { charts, problems: ['meta.dashboard.charts must be a list of charts'] };
  list.forEach((raw, index) => {
    const at = `chart ${index + 1}${isObject(raw) && typeof raw.name === 'string' ? ` (${raw.name})` : ''}`;
    if (!isObject(raw) || typeof raw.name !== 'string' || typeof raw.model !== 'string') {
      problems.push(`${at}: needs a name and a model`);
      return;
    }
    const kind = String(raw.kind ?? 'bar');
    if (!kinds.has(kind)) problems.push(`${at}: kind '${kind}' is not one of ${[...kinds].join(', ')}`);
    const before = problems.length;
    const x = series(raw.x, `${at} x`, problems);
    const y = raw.y === undefined ? undefined : series(raw.y, `${at} y`, problems);
    if (kind === 'heatmap' && !y) problems.push(`${at}: a heatmap needs y (its rows)`);
    const values = Array.isArray(raw.series) ? raw.series : [];
    if (values.length === 0) problems.push(`${at}: needs at least one series`);
    const parsed = values.map((s, i) => series(s, `${at} series ${i + 1}`, problems));
    // The statement is put together from these pieces: one statement only, never a second.
    for (const [key, text] of Object.entries({ where: raw.where, order_by: raw.order_by }))
      if (text !== undefined && (typeof text !== 'string' || text.includes(';')))
        problems.push(`${at}: ${key} must be one SQL expression (no ';')`);
    for (const s of [x, y, ...parsed])
      if (s?.sql?.includes(';')) problems.push(`${at}: ${s.column}'s sql must be one expression (no ';')`);
    const groupBy = Array.isArray(raw.group_by) ? raw.group_by.map(String) : [];
    if (groupBy.some((g) => !plainName.test(g))) problems.push(`${at}: group_by lists column names`);
    const limit = raw.limit === undefined ? undefined : Number(raw.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
      problems.push(`${at}: limit must be a positive integer`);
    if (problems.length > before || !x) return;
    charts.push({
      name: raw.name,
      title: typeof raw.title === 'string' ? raw.title : raw.name.replace(/_/g, ' '),
      description: typeof raw.description === 'string' ? raw.description : '',
      model: raw.model,
      kind: kind as ChartSpec['kind'],
      horizontal: raw.horizontal === true,
      x,
      ...(y ? { y } : {}),
      series: parsed.filter((s): s is SeriesSpec => s !== undefined),
      ...(typeof raw.where === 'string' ? { where: raw.where } : {}),
      groupBy,
      ...(typeof raw.order_by === 'string' ? { orderBy: raw.order_by } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
  });
  return { charts, problems };
}

/**
 * The plain select a chart reads, on the mart's relation (rendered and quoted by the adapter).
 *
 * @example
 * chartSql(chart, '"marts"."orders_monthly"', (n) => `"${n}"`);
 * // → 'select "month_start_date", "total_revenue" from "marts"."orders_monthly" order by month_start_date'
 */
export function chartSql(chart: ChartSpec, relation: string, quote: (name: string) => string): string {
  const columns = [chart.x, ...(chart.y ? [chart.y] : []), ...chart.series].map((s) =>
    s.sql ? `${s.sql} as ${quote(s.column)}` : quote(s.column),
  );
  return [
    `select ${columns.join(', ')}`,
    `from ${relation}`,
    chart.where ? `where ${chart.where}` : '',
    chart.groupBy.length ? `group by ${chart.groupBy.map(quote).join(', ')}` : '',
    chart.orderBy ? `order by ${chart.orderBy}` : '',
    chart.limit ? `limit ${chart.limit}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
