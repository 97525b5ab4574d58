import { ShopsmartError } from '../errors.js';
import type { TargetConfig } from '../project/project-definition.js';
import type { OpenOptions, WarehouseAdapter } from './warehouse-adapter.js';

/** The warehouse types the engine speaks, each opened from its own folder on first use. */
const openers: Record<string, (target: TargetConfig, options: OpenOptions) => Promise<WarehouseAdapter>> = {
  duckdb: async (target, options) => {
    const { DuckDBAdapter } = await import('./duckdb/duckdb-adapter.js');
    return DuckDBAdapter.open({
      path: target.path,
      threads: options.threads,
      command: options.command,
      ...(target.attach ? { attach: target.attach } : {}),
      wait: { timeoutMs: (target.lockTimeout ?? 0) * 1000, onWait: options.onWait, signal: options.signal },
    });
  },
  postgres: async (target, options) => {
    const { PostgresAdapter } = await import('./postgres/postgres-adapter.js');
    return PostgresAdapter.open(target, options);
  },
};

/** The `type:` values a target may have. */
export const warehouseTypes = (): string[] => Object.keys(openers);

/**
 * Opens the warehouse a target names, with the adapter its `type` picks. Nothing above adapter/
 * knows which database it talks to.
 *
 * @example
 * const adapter = await openWarehouse(project.target, { threads: 4, command: 'build' });
 * adapter.type; // → 'duckdb'
 */
export async function openWarehouse(target: TargetConfig, options: OpenOptions): Promise<WarehouseAdapter> {
  const open = openers[target.type];
  if (!open)
    throw new ShopsmartError('SSA-PROJECT-004', `target '${target.name}' has type '${target.type}'`, {
      hint: `use one of: ${warehouseTypes().join(', ')}`,
    });
  return open(target, options);
}
