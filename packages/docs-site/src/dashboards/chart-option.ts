import type { ChartData, SeriesSpec, ValueFormat } from '@shopsmart/core-runner';
import { formatTick, formatValue } from './value-format.js';

/** What a chart plots, as exposed on its element (`data-series`) and drawn. */
export interface PlottedSeries {
  x: unknown[];
  /** The heat map's rows. */
  y?: unknown[];
  /** By column: one value per row (bar, line, table) or per cell (heat map). */
  series: Record<string, unknown[]>;
}

const palette = ['#1565c0', '#f9a825', '#2e7d32', '#ad1457', '#6a1b9a', '#00838f'];

/** The chart's columns out of its rows. */
export function plotted(chart: ChartData): PlottedSeries {
  const column = (name: string) => chart.rows.map((row) => row[chart.columns.indexOf(name)] ?? null);
  return {
    x: column(chart.spec.x.column),
    ...(chart.spec.y ? { y: column(chart.spec.y.column) } : {}),
    series: Object.fromEntries(chart.spec.series.map((s) => [s.column, column(s.column)])),
  };
}

const unique = (values: unknown[]) => [...new Set(values.map((v) => String(v)))];

// Tooltips are drawn on the canvas (richText), never as HTML: names from the warehouse stay text.
const tooltip = { renderMode: 'richText' as const, confine: true };

function valueAxis(format: ValueFormat, position?: 'left' | 'right') {
  return {
    type: 'value' as const,
    ...(position ? { position } : {}),
    axisLabel: { formatter: (value: number) => formatTick(value, format), hideOverlap: true },
    splitLine: { show: position !== 'right' },
  };
}

function heatmapOption(chart: ChartData, data: PlottedSeries) {
  const spec = chart.spec;
  const value = spec.series[0] as SeriesSpec;
  const ySpec = spec.y as SeriesSpec;
  const xs = unique(data.x);
  const ys = unique(data.y ?? []);
  const values = data.series[value.column] ?? [];
  const cells = values.map((v, i) => [
    xs.indexOf(String(data.x[i])),
    ys.indexOf(String(data.y?.[i])),
    v === null ? '-' : Number(v),
  ]);
  // The scale tops out at the 95th percentile: one outlying column (month 0 of a retention
  // triangle is near 100%) would otherwise wash every other cell out to the palest shade.
  const numbers = values
    .filter((v) => v !== null)
    .map(Number)
    .sort((a, b) => a - b);
  const top = numbers.length ? (numbers[Math.floor((numbers.length - 1) * 0.95)] as number) : 1;
  const small = xs.length * ys.length <= 80;
  return {
    animation: false,
    tooltip: {
      ...tooltip,
      formatter: (p: { value: [number, number, number | string] }) =>
        `${ySpec.label} ${formatValue(ys[p.value[1]], ySpec.format)}\n${spec.x.label} ${formatValue(xs[p.value[0]], spec.x.format)}\n${value.label}: ${formatValue(p.value[2] === '-' ? null : p.value[2], value.format)}`,
    },
    grid: { left: 80, right: 96, top: 28, bottom: 48 },
    xAxis: {
      type: 'category' as const,
      data: xs.map((x) => formatValue(x, spec.x.format)),
      name: spec.x.label,
      nameLocation: 'middle' as const,
      nameGap: 28,
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category' as const,
      data: ys.map((y) => formatValue(y, ySpec.format)),
      name: ySpec.label,
      // Dates read downwards (the oldest cohort on top); the axis name stays above the rows.
      inverse: ySpec.format === 'date',
      nameLocation: ySpec.format === 'date' ? ('start' as const) : ('end' as const),
      splitArea: { show: true },
    },
    visualMap: {
      min: 0,
      max: top > 0 ? top : 1,
      calculable: true,
      orient: 'vertical' as const,
      right: 0,
      top: 'middle',
      itemHeight: 160,
      formatter: (v: number) => formatTick(v, value.format),
      inRange: { color: ['#f7fbff', '#9ecae1', '#2171b5', '#08306b'] },
    },
    series: [
      {
        name: value.label,
        type: 'heatmap' as const,
        data: cells,
        label: {
          show: small,
          formatter: (p: { value: [number, number, number | string] }) =>
            p.value[2] === '-' ? '' : formatTick(p.value[2], value.format),
        },
      },
    ],
  };
}

function cartesianOption(chart: ChartData, data: PlottedSeries) {
  const spec = chart.spec;
  const leftFormat = spec.series.find((s) => s.axis !== 'right')?.format ?? 'number';
  const right = spec.series.find((s) => s.axis === 'right');
  const category = {
    type: 'category' as const,
    data: data.x.map((x) => formatValue(x, spec.x.format)),
    ...(spec.horizontal ? { inverse: true } : {}),
    // Every name shows when there are few (categories); a long time axis thins its labels out.
    axisLabel: spec.horizontal
      ? { width: 200, overflow: 'truncate' as const }
      : data.x.length <= 12
        ? { interval: 0, width: 90, overflow: 'truncate' as const }
        : { hideOverlap: true },
  };
  const values = [valueAxis(leftFormat), ...(right ? [valueAxis(right.format, 'right')] : [])];
  return {
    animation: false,
    color: palette,
    legend: { top: 0 },
    tooltip: { ...tooltip, trigger: 'axis' as const },
    grid: {
      left: spec.horizontal ? 210 : 64,
      right: right ? 64 : 24,
      top: 36,
      bottom: 32,
      containLabel: false,
    },
    xAxis: spec.horizontal ? values : category,
    yAxis: spec.horizontal ? category : values,
    series: spec.series.map((s) => ({
      name: s.label,
      type: s.type ?? (spec.kind === 'line' ? 'line' : 'bar'),
      ...(s.axis === 'right' ? { [spec.horizontal ? 'xAxisIndex' : 'yAxisIndex']: 1 } : {}),
      data: (data.series[s.column] ?? []).map((v) => (v === null ? null : Number(v))),
      connectNulls: false,
      showSymbol: data.x.length <= 40,
      tooltip: { valueFormatter: (v: unknown) => formatValue(v, s.format) },
    })),
  };
}

/**
 * The ECharts option of a bar, line or heat-map chart: axes, tooltips and labels formatted as
 * money and percentages by each series' format.
 *
 * @example
 * chartOption(chart, plotted(chart)); // → { xAxis: { type: 'category', data: ['Jan 2024', …] }, series: [{ type: 'bar', … }] }
 */
export function chartOption(chart: ChartData, data: PlottedSeries): Record<string, unknown> {
  return chart.spec.kind === 'heatmap' ? heatmapOption(chart, data) : cartesianOption(chart, data);
}
