import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildManifest,
  defineProject,
  EventBus,
  executeRun,
  type Layer,
  type RunResults,
  SqlCompiler,
} from '@shopsmart/core-runner';
import { generateWarehouse } from '@shopsmart/mockgen';
import { WarehouseReader } from './warehouse-reader.js';

/** The small warehouse every layer suite builds on: 500 customers, 2,500 orders, 40 products. */
export const generated = { scale: 0.05, seed: 7, asOf: '2026-06-30' } as const;

export interface BuiltLayer {
  results: RunResults;
  /** The built warehouse, opened read-only once the run has closed it. */
  warehouse: WarehouseReader;
  /** The compiled SQL of a model or analysis by name (ephemeral models have no relation to select from). */
  compiled(model: string): string;
  /** Closes the warehouse and removes the temp folder. */
  dispose(): void;
}

export interface BuildOptions {
  /** Runs on the generated warehouse file before the build (e.g. to plant a defect). */
  beforeBuild?: (warehousePath: string) => Promise<void>;
  /** How tests follow the selected models (`--indirect-selection`; default eager). */
  indirectSelection?: 'eager' | 'cautious' | 'buildable' | 'empty';
}

/**
 * Generates a raw warehouse into a temp folder and runs `build` of `layer` on it (optionally only
 * `select`), with the as-of date pinned so every "days since" is reproducible; `vars` override
 * project vars as `--vars` does.
 *
 * @example
 * const built = await buildLayer(layer, ['+package:intermediate']);
 * const rows = await built.warehouse.rows('select * from int_orders_aggregated_by_day');
 * const stricter = await buildLayer(layer, ['+user_metrics'], { min_order_amount: 50 }, { indirectSelection: 'cautious' });
 */
export async function buildLayer(
  layer: Layer,
  select?: string[],
  vars: Record<string, unknown> = {},
  options: BuildOptions = {},
): Promise<BuiltLayer> {
  const dir = mkdtempSync(join(tmpdir(), `shopsmart-${layer.name}-`));
  const warehousePath = join(dir, 'warehouse', 'wh.duckdb');
  mkdirSync(join(dir, 'warehouse'), { recursive: true });
  await generateWarehouse({ warehousePath, ...generated });
  await options.beforeBuild?.(warehousePath);
  const definition = defineProject({
    rootDir: dir,
    layers: [layer],
    warehousePath,
    threads: 2,
    vars: { as_of_date: generated.asOf, ...vars },
  });
  const target = definition.targets.dev;
  if (target === undefined) throw new Error('defineProject() gave no dev target');
  const project = buildManifest({ definition, target });
  const results = await executeRun(project, {
    command: 'build',
    select,
    indirectSelection: options.indirectSelection,
    events: new EventBus(),
    writeArtifacts: false,
  });
  const warehouse = await WarehouseReader.open(warehousePath);
  const compiler = new SqlCompiler(project);
  return {
    results,
    warehouse,
    compiled(model) {
      const node = Object.values(project.manifest.nodes).find(
        (n) => (n.resourceType === 'model' || n.resourceType === 'analysis') && n.name === model,
      );
      if (node === undefined) throw new Error(`no model or analysis '${model}' in the project`);
      return compiler.compile(node.uniqueId);
    },
    dispose() {
      warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The nodes that errored or failed their test, with why, one per line (for assertion messages). */
export function failedNodes(results: RunResults): string[] {
  return results.results
    .filter((result) => result.status === 'error' || result.status === 'fail')
    .map((result) => `${result.uniqueId} (${result.status}): ${result.error?.message ?? result.message}`);
}
