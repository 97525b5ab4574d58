import { setTimeout as sleep } from 'node:timers/promises';
import { ShopsmartError } from '../errors.js';

/** One moment of waiting for a busy warehouse: who holds it, for how long we have waited. */
export interface WarehouseWait {
  /** Why it is busy, naming the holder ("the warehouse file is held open by process 4242 (/usr/bin/python3)"). */
  reason: string;
  waitedMs: number;
  timeoutMs: number;
}

/** `--lock-timeout`: how long to wait for a busy warehouse, and who hears about the wait. */
export interface WaitOptions {
  /** 0 or absent: fail at once. */
  timeoutMs?: number;
  /** Called on each retry while waiting (the CLI draws a progress line from it). */
  onWait?: (wait: WarehouseWait) => void;
  /** When the wait began (Date.now()), for a wait in several steps sharing one timeout. */
  startedAt?: number;
  /** Stops the wait (Ctrl-C while waiting): the busy error is thrown at once. */
  signal?: AbortSignal;
}

/** Why the warehouse is busy, when `error` says it is: another run's lock (SSA-LOCK-001) or a process holding the file (SSA-LOCK-004). */
export const busyReason = (error: unknown): string | undefined =>
  error instanceof ShopsmartError && (error.code === 'SSA-LOCK-001' || error.code === 'SSA-LOCK-004')
    ? error.message
    : undefined;

const retryEveryMs = 250;

/**
 * Runs `attempt` until it stops failing with a busy-warehouse error (`reasonOf` names the holder)
 * or `timeoutMs` has passed; then the last error is thrown, saying how long it waited.
 *
 * @example
 * const lock = await waitForWarehouse(() => WarehouseLock.acquire(path, 'build'), { timeoutMs: 30_000 });
 * // still held after 30 s → [SSA-LOCK-001] warehouse is in use by run 4242 (build) since … (waited 30 s, --lock-timeout 30)
 */
export async function waitForWarehouse<T>(
  attempt: () => T | Promise<T>,
  options: WaitOptions = {},
  reasonOf: (error: unknown) => string | undefined = busyReason,
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 0;
  const started = options.startedAt ?? Date.now();
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      const reason = reasonOf(error);
      if (reason === undefined) throw error;
      const waitedMs = Date.now() - started;
      if (waitedMs >= timeoutMs || options.signal?.aborted) {
        if (timeoutMs <= 0 || options.signal?.aborted || !(error instanceof ShopsmartError)) throw error;
        throw new ShopsmartError(
          error.code,
          `${error.message} (waited ${Math.round(waitedMs / 1000)} s, --lock-timeout ${timeoutMs / 1000})`,
          { file: error.file, hint: error.hint, cause: error },
        );
      }
      options.onWait?.({ reason, waitedMs, timeoutMs });
      await sleep(Math.min(retryEveryMs, timeoutMs - waitedMs), undefined, { signal: options.signal }).catch(
        () => undefined,
      );
    }
  }
}
