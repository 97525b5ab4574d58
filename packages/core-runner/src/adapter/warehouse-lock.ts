import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { ShopsmartError } from '../errors.js';
import { ensureWarehouseDirectory, warehousePathProblem } from './warehouse-directory.js';

interface LockContent {
  pid: number;
  startedAt: string;
  command: string;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * One run at a time per warehouse file: `<file>.lock` holds the owner's pid and start time.
 * A lock left by a process that no longer exists is taken over; a live one is a clear error.
 */
export class WarehouseLock {
  /** Locks this process holds now (what `releaseAll` frees on a forced exit). */
  static readonly #held = new Set<WarehouseLock>();

  private constructor(readonly path: string) {
    WarehouseLock.#held.add(this);
  }

  /**
   * Releases every lock this process holds: for a process about to exit at once (a second
   * Ctrl-C), so the next run does not have to take over a stale lock.
   */
  static releaseAll(): void {
    for (const lock of WarehouseLock.#held) lock.release();
  }

  static acquire(warehousePath: string, command: string): WarehouseLock {
    const path = `${warehousePath}.lock`;
    ensureWarehouseDirectory(warehousePath);
    const content: LockContent = { pid: process.pid, startedAt: new Date().toISOString(), command };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, JSON.stringify(content));
        closeSync(fd);
        return new WarehouseLock(path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST')
          throw warehousePathProblem(warehousePath, `its lock file cannot be created (${code})`);
        let holder: LockContent | undefined;
        try {
          holder = JSON.parse(readFileSync(path, 'utf8')) as LockContent;
        } catch {
          holder = undefined;
        }
        if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
          throw new ShopsmartError(
            'SSA-LOCK-001',
            `warehouse is in use by run ${holder.pid} (${holder.command}) since ${holder.startedAt}`,
            {
              file: warehousePath,
              hint: 'wait for that run to finish, or stop it; the warehouse file is untouched',
            },
          );
        }
        if (holder && holder.pid === process.pid) {
          throw new ShopsmartError(
            'SSA-LOCK-002',
            `warehouse is already open in this process since ${holder.startedAt}`,
            { file: warehousePath },
          );
        }
        unlinkSync(path);
      }
    }
    throw new ShopsmartError('SSA-LOCK-003', `could not lock ${warehousePath}`, { file: warehousePath });
  }

  release(): void {
    WarehouseLock.#held.delete(this);
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}
