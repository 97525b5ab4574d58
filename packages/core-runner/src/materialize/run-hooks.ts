import type { MaterializationContext } from './materialization-types.js';

/** Renders and runs a node's pre- or post-hooks, in order, on the node's connection. */
export async function runNodeHooks(
  context: MaterializationContext,
  which: 'pre_hook' | 'post_hook',
  incremental = false,
): Promise<void> {
  const { node, compiler, adapter, connection } = context;
  for (const hook of node.config[which]) {
    const sql = await compiler.renderWithWarehouse(node, hook, {
      incremental,
      warehouse: adapter.questionsOn(connection),
    });
    if (!sql.trim()) continue;
    context.recordSql(sql);
    await adapter.execute(sql, connection);
  }
}
