import type { WarehouseWait } from '@shopsmart/core-runner';
import type { Output } from './event-printer.js';

/**
 * What a command shows while it waits for a busy warehouse (`--lock-timeout`): on a terminal one
 * progress line redrawn in place ("waiting for the warehouse (3 s of 30 s): … held open by process
 * 4242 (/usr/bin/python3)") and cleared when the wait ends; elsewhere one line when it begins.
 */
export function createWaitLine(
  output: Output,
  // --log-format json: never drawn in place (the wait is a line through the output, i.e. an event).
  terminal = process.stderr.isTTY === true && output.style?.json !== true,
) {
  let showing = false;
  return {
    wait(wait: WarehouseWait): void {
      if (terminal) {
        const seconds = `${Math.floor(wait.waitedMs / 1000)} s of ${wait.timeoutMs / 1000} s`;
        process.stderr.write(`\r\x1b[2Kwaiting for the warehouse (${seconds}): ${wait.reason}`);
      } else if (!showing) {
        output.err(`waiting up to ${wait.timeoutMs / 1000} s for the warehouse: ${wait.reason}`);
      }
      showing = true;
    },
    /** The wait is over: the progress line goes before anything else is printed. */
    done(): void {
      if (showing && terminal) process.stderr.write('\r\x1b[2K');
      showing = false;
    },
  };
}
