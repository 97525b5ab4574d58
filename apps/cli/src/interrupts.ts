import { WarehouseLock } from '@shopsmart/core-runner';
import type { Output } from './event-printer.js';
import { ExitCode } from './exit-codes.js';

/** What a command that writes the warehouse gets while Ctrl-C / SIGTERM are caught. */
export interface Interrupts {
  /** Aborted by the first SIGINT or SIGTERM: the command stops in good order and exits 130. */
  signal: AbortSignal;
  /** Gives the signals back to Node's defaults (call when the command ends). */
  release(): void;
}

/**
 * Ctrl-C (SIGINT) and SIGTERM while a command writes the warehouse. The first one aborts
 * `signal`: the engine starts no more nodes, interrupts and rolls back the running ones, writes
 * run_results.json, drops its scratch tables and releases the lock; the command then prints one
 * line and exits 130. A second one exits at once (130) after releasing this process's locks:
 * whatever DuckDB was writing is made whole from its WAL at the next open.
 *
 * @example
 * const interrupts = catchInterrupts(output);
 * try { await executeRun(project, { ..., signal: interrupts.signal }); } finally { interrupts.release(); }
 */
export function catchInterrupts(output: Output): Interrupts {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      controller.abort(name);
      return;
    }
    WarehouseLock.releaseAll();
    output.err(`interrupted again (${name}): stopped at once`);
    process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** The one line an interrupted command prints (stderr). */
export function interruptedLine(done: number, cancelled: number): string {
  return `interrupted: ${done} done, ${cancelled} cancelled`;
}
