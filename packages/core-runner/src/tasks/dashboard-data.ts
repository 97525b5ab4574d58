import { chartSql, dashboardSpec } from '../artifacts/dashboard-spec.js';
import type { ChartData, DashboardData } from '../artifacts/docs-data-file.js';
import type { Manifest } from '../project/manifest-types.js';
import type { ProjectNode, Relation } from '../project/project-types.js';

/** What reading a dashboard asks of the warehouse adapter (any adapter has these). */
export interface DashboardReader {
  relationKind(relation: Relation): Promise<string | undefined>;
  render(relation: Relation): string;
  quote(name: string): string;
  query(sql: string): Promise<Record<string, unknown>[]>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

async function chartData(
  manifest: Manifest,
  exposure: ProjectNode,
  chart: ChartData['spec'],
  reader: DashboardReader,
): Promise<ChartData> {
  const model = exposure.dependsOn.map((id) => manifest.nodes[id]).find((node) => node?.name === chart.model);
  const empty = { spec: chart, columns: [], rows: [] };
  if (!model?.relation)
    return {
      ...empty,
      missing: `the exposure does not depend on a model named '${chart.model}': add ref('${chart.model}') to its depends_on`,
    };
  const relation = reader.render(model.relation);
  const found = { ...empty, modelId: model.uniqueId, relation };
  if (!(await reader.relationKind(model.relation)))
    return {
      ...found,
      missing: `${relation} is not in the warehouse: build it first (shopsmart build --select +${model.name})`,
    };
  const sql = chartSql(chart, relation, (name) => reader.quote(name));
  try {
    const rows = await reader.query(sql);
    const columns = [chart.x, ...(chart.y ? [chart.y] : []), ...chart.series].map((s) => s.column);
    return { ...found, sql, columns, rows: rows.map((row) => columns.map((c) => row[c] ?? null)) };
  } catch (error) {
    return { ...found, sql, missing: `the chart's query failed: ${message(error)}` };
  }
}

/**
 * Reads every exposure's dashboard from the warehouse, at `docs generate` time: one plain select
 * per chart on the mart it names. A mart that is not built, or a query that fails, becomes a
 * notice on that chart instead of failing the generate.
 *
 * @example
 * await readDashboards(project.manifest, adapter);
 * // → { 'exposure.marts.executive_kpis': { charts: [{ spec, modelId: 'model.marts.orders_monthly', columns, rows: [['2024-01-01', 18234.5], …] }], problems: [] } }
 */
export async function readDashboards(
  manifest: Manifest,
  reader: DashboardReader,
): Promise<Record<string, DashboardData>> {
  const out: Record<string, DashboardData> = {};
  for (const exposure of Object.values(manifest.exposures)) {
    const { charts, problems } = dashboardSpec(exposure);
    if (charts.length === 0 && problems.length === 0) continue;
    const data: ChartData[] = [];
    for (const chart of charts) data.push(await chartData(manifest, exposure, chart, reader));
    out[exposure.uniqueId] = { charts: data, problems };
  }
  return out;
}
