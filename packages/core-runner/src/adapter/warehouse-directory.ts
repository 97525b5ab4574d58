import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ShopsmartError } from '../errors.js';

/**
 * Creates the folder a warehouse file goes in, one level at a time, and fails at once with what
 * and where when it cannot: Node's `mkdirSync(…, { recursive: true })` spins forever on paths such
 * as `/proc/x/y`, and reports a regular-file parent as a bare `EEXIST`.
 *
 * @example
 * ensureWarehouseDirectory('warehouse/dev.duckdb'); // creates ./warehouse when missing
 * ensureWarehouseDirectory('/proc/x/dev.duckdb'); // throws SSA-TARGET-PATH naming /proc/x
 */
export function ensureWarehouseDirectory(warehousePath: string): void {
  const target = resolve(dirname(warehousePath));
  const missing: string[] = [];
  let existing = target;
  for (;;) {
    const kind = kindOf(existing);
    if (kind === 'directory') break;
    if (kind === 'other') throw notAFolder(warehousePath, existing);
    const parent = dirname(existing);
    if (parent === existing) break;
    missing.unshift(existing);
    existing = parent;
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      if (code === 'EEXIST' && kindOf(folder) === 'directory') continue;
      throw warehousePathProblem(warehousePath, `folder ${folder} cannot be created (${describeCode(code)})`);
    }
  }
  // The lock file (and a new warehouse file) are created beside it.
  try {
    accessSync(target, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw warehousePathProblem(warehousePath, `folder ${target} is not writable (${describeCode(code)})`);
  }
}

function kindOf(path: string): 'directory' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}

function describeCode(code: string): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOENT':
      return 'this file system does not allow new folders there';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return code;
  }
}

function notAFolder(warehousePath: string, path: string): ShopsmartError {
  return warehousePathProblem(warehousePath, `${path} is a file, not a folder`);
}

/** A target path that cannot hold a warehouse is a configuration problem (exit code 2). */
export function warehousePathProblem(warehousePath: string, reason: string): ShopsmartError {
  return new ShopsmartError('SSA-TARGET-PATH', `cannot use the warehouse path ${warehousePath}: ${reason}`, {
    hint: "point the target's path at a folder you can write (profiles.yml or shopsmart.yml)",
  });
}
