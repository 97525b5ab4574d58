import { openWarehouse } from '../adapter/adapter-registry.js';
import type { WarehouseWait } from '../adapter/warehouse-wait.js';
import { writeManifestArtifacts } from '../artifacts/artifact-writer.js';
import { ShopsmartError } from '../errors.js';
import type { ParsedProject } from '../project/manifest-builder.js';
import { SqlCompiler } from '../template/sql-compiler.js';

export interface CompileOptions {
  /** Nodes to compile (unique ids); every node with SQL when absent. */
  select?: readonly string[];
  /** `--full-refresh`: `is_incremental()` is false as it would be in the run. */
  fullRefresh?: boolean;
  /** Hears each retry while the warehouse is busy (the target's `lockTimeout`). */
  onWait?: (wait: WarehouseWait) => void;
}

export interface CompileResult {
  compiler: SqlCompiler;
  /** unique id → compiled SQL, for the nodes that compiled. */
  compiled: Map<string, string>;
  /** unique id → the error its render raised. */
  errors: Map<string, ShopsmartError>;
}

/**
 * dbt's `compile`: renders the selected nodes with `execute` true against the warehouse, so
 * `run_query`, `get_columns_in_relation` and `is_incremental()` answer as they will in the run
 * (docs.getdbt.com/reference/commands/compile), then writes target/compiled and the manifest.
 * Parse-time rendering is unchanged (execute false).
 *
 * @example
 * const { compiled } = await compileProject(project, { select: ['model.shop.fct_orders'] });
 */
export async function compileProject(
  project: ParsedProject,
  options: CompileOptions = {},
): Promise<CompileResult> {
  const compiler = new SqlCompiler(project);
  const ids = (options.select ?? [...project.parsed.keys()]).filter((id) => project.parsed.has(id));
  const compiled = new Map<string, string>();
  const errors = new Map<string, ShopsmartError>();
  const needWarehouse = ids.filter((id) => compiler.rendersAtExecution(id));
  if (needWarehouse.length > 0) {
    const adapter = await openWarehouse(project.target, {
      threads: 1,
      command: 'compile',
      invocationId: project.invocationId,
      onWait: options.onWait,
    });
    try {
      for (const id of needWarehouse) {
        const node = compiler.node(id);
        try {
          const incremental =
            node.config.materialized === 'incremental' &&
            !options.fullRefresh &&
            node.relation !== undefined &&
            (await adapter.relationKind(node.relation)) === 'table';
          const sql = await compiler.compileForExecution(id, {
            incremental,
            warehouse: adapter.questionsOn(),
          });
          compiler.remember(id, sql);
        } catch (error) {
          if (error instanceof ShopsmartError) errors.set(id, error);
          else throw error;
        }
      }
    } finally {
      await adapter.close();
    }
  }
  for (const id of ids) {
    if (errors.has(id)) continue;
    try {
      compiled.set(id, compiler.compile(id));
    } catch (error) {
      if (error instanceof ShopsmartError) errors.set(id, error);
      else throw error;
    }
  }
  // `compile -s`: only the selected nodes are compiled and written, as dbt does.
  await writeManifestArtifacts(project, compiler, options.select ? ids : true);
  return { compiler, compiled, errors };
}
