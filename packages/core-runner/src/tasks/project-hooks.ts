import type { WarehouseAdapter } from '../adapter/warehouse-adapter.js';
import type { EventBus } from '../events.js';
import { renderPlainHook } from '../materialize/run-hooks.js';
import type { ParsedProject } from '../project/manifest-builder.js';
import type { ProjectNode } from '../project/project-types.js';
import type { SqlCompiler } from '../template/sql-compiler.js';

/**
 * Runs `on-run-start` / `on-run-end`: the root project's hooks, then each layer's in dependency
 * order, rendered with the layer's macros, on one connection.
 */
export async function runProjectHooks(
  project: ParsedProject,
  adapter: WarehouseAdapter,
  compiler: SqlCompiler,
  which: 'on-run-start' | 'on-run-end',
  events: EventBus,
  /** Extra names for the hooks' templates (on-run-end: `results`, `schemas`, `database_schemas`). */
  context?: Record<string, unknown>,
): Promise<void> {
  const hooks: { layer: string; sql: string }[] = [];
  const rootLayer = project.layers[project.layers.length - 1]?.layer.name ?? project.definition.name;
  for (const sql of which === 'on-run-start' ? project.definition.onRunStart : project.definition.onRunEnd)
    hooks.push({ layer: rootLayer, sql });
  for (const loaded of project.layers) {
    for (const sql of which === 'on-run-start' ? loaded.project.onRunStart : loaded.project.onRunEnd)
      hooks.push({ layer: loaded.layer.name, sql });
  }
  let index = 0;
  for (const hook of hooks) {
    const pseudoNode = {
      uniqueId: `operation.${hook.layer}.${which}.${index}`,
      resourceType: 'operation',
      name: `${which}-${index}`,
      packageName: hook.layer,
      originalFilePath: 'dbt_project.yml',
      origin: {
        absolutePath: `${project.layers.find((l) => l.layer.name === hook.layer)?.layer.root ?? project.definition.rootDir}/dbt_project.yml`,
      },
      dependsOn: [],
      config: { enabled: true, materialized: 'operation', tags: [], pre_hook: [], post_hook: [] },
    } as unknown as ProjectNode;
    const t0 = performance.now();
    const sql =
      renderPlainHook(hook.sql, pseudoNode, project) ??
      (await compiler.renderWithWarehouse(pseudoNode, hook.sql, {
        incremental: false,
        warehouse: adapter.questionsOn(),
        ...(context ? { context } : {}),
      }));
    index++;
    if (!sql.trim()) continue;
    await adapter.execute(sql);
    events.emit({ kind: 'hook_finished', hook: which, index, sql, executionMs: performance.now() - t0 });
  }
}
