// Builds the ShopSmart project from code with the installed packages, then reads the marts.
// Usage (after `shopsmart generate`): node build-from-code.js <warehouse.duckdb>
import {
  buildManifest,
  DuckDBAdapter,
  defineProject,
  type EngineEvent,
  EventBus,
  executeRun,
  type RunResults,
} from '@shopsmart/core-runner';
import { layer as marts } from '@shopsmart/marts';

const warehousePath = process.argv[2] ?? 'warehouse/dev.duckdb';

async function martRows(path: string): Promise<Record<string, number>> {
  const adapter = await DuckDBAdapter.open({ path, threads: 1, command: 'show' });
  try {
    const rows = await adapter.query(
      `select 'dim_customers' as mart, count(*) as n from main.dim_customers
       union all select 'fct_orders', count(*) from main.fct_orders
       union all select 'customer_analytics', count(*) from main.customer_analytics`,
    );
    return Object.fromEntries(rows.map((row) => [String(row.mart), Number(row.n)]));
  } finally {
    await adapter.close();
  }
}

const before = await martRows(warehousePath);
const definition = defineProject({ name: 'shop', layers: [marts], warehousePath, threads: 2 });
const target = definition.targets.dev;
if (!target) throw new Error('defineProject gives a dev target');
const project = buildManifest({ definition, target });
const failed: string[] = [];
const events = new EventBus((event: EngineEvent) => {
  if (event.kind === 'node_finished' && !['success', 'pass', 'warn'].includes(event.status))
    failed.push(event.uniqueId);
});
const results: RunResults = await executeRun(project, { command: 'build', events });
const summary = {
  success: results.success,
  nodes: results.results.length,
  failed,
  before,
  after: await martRows(warehousePath),
};
console.log(JSON.stringify(summary));
process.exitCode = results.success ? 0 : 1;
