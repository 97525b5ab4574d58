import { createRequire } from 'node:module';
import type { DuckDBInstance } from '@duckdb/node-api';
import { ShopsmartError } from '../../errors.js';
import { type WaitOptions, waitForWarehouse } from '../warehouse-wait.js';

/**
 * DuckDB names the process holding a file's lock:
 * `Could not set lock on file "w.duckdb": Conflicting lock is held in /usr/bin/python3 (PID 4242)`.
 */
export function duckdbLockHolder(message: string): { program: string; pid: number } | undefined {
  const match = /Conflicting lock is held in (.+?) \(PID (\d+)\)/.exec(message);
  return match ? { program: match[1] as string, pid: Number(match[2]) } : undefined;
}

/**
 * Opens a DuckDB file. Another process holding it (a notebook, a BI tool, a second CLI) is
 * `SSA-LOCK-004` naming that process, waited for up to `wait.timeoutMs`; any other failure is
 * `SSA-WAREHOUSE-001`.
 *
 * @example
 * const instance = await openDuckDBFile('warehouse/dev.duckdb', { timeoutMs: 30_000 });
 * // held by a notebook for 40 s → [SSA-LOCK-004] the warehouse file warehouse/dev.duckdb is held open
 * //   by process 4242 (/usr/bin/python3) (waited 30 s, --lock-timeout 30)
 */
export async function openDuckDBFile(
  path: string,
  wait: WaitOptions = {},
  /** DuckDB configuration options the database opens with (e.g. `{ threads: '1' }`). */
  settings?: Record<string, string>,
): Promise<DuckDBInstance> {
  return waitForWarehouse(async () => {
    try {
      const { DuckDBInstance } = duckdbClient();
      return await DuckDBInstance.create(path, settings);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/Could not set lock|Conflicting lock/i.test(message)) {
        const holder = duckdbLockHolder(message);
        throw new ShopsmartError(
          'SSA-LOCK-004',
          `the warehouse file ${path} is held open by ${holder ? `process ${holder.pid} (${holder.program})` : 'another process'}`,
          {
            file: path,
            hint: 'close the warehouse there (a notebook, a BI tool, another shell), or wait for it with --lock-timeout SECONDS',
            cause: error,
          },
        );
      }
      throw new ShopsmartError(
        'SSA-WAREHOUSE-001',
        `cannot open the warehouse ${path}: ${message.split('\n')[0]}`,
        {
          file: path,
          hint: 'check the path and that the file is a DuckDB database',
          cause: error,
        },
      );
    }
  }, wait);
}

/**
 * The native client, loaded on first open rather than when the engine is imported: commands that
 * never touch the warehouse (ls, compile, --help) stay light. Loaded with `require`: the package
 * is CommonJS, and an ESM `import()` of it first scans every one of its modules for exports
 * (cjs-module-lexer), ~0.25 s against ~0.1 s for `require` on a 2-core machine.
 */
function duckdbClient(): typeof import('@duckdb/node-api') {
  return createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');
}
