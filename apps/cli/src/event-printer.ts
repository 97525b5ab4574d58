import type { EngineEvent } from '@shopsmart/core-runner';
import { createWaitLine } from './wait-line.js';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const statusLabel: Record<string, string> = {
  success: 'OK',
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  error: 'ERROR',
  skipped: 'SKIP',
  'runtime error': 'ERROR',
  cancelled: 'CANCEL',
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`;

/** Renders engine events as one line each (text) or one JSON object per line (json). */
export function createEventPrinter(format: 'text' | 'json', output: Output): (event: EngineEvent) => void {
  if (format === 'json') return (event) => output.out(JSON.stringify(event));
  const waitLine = createWaitLine(output);
  return (event) => {
    if (event.kind !== 'warehouse_wait') waitLine.done();
    switch (event.kind) {
      case 'warehouse_wait':
        waitLine.wait(event);
        break;
      case 'run_started':
        output.out(
          `Running ${event.command} with ${event.nodeCount} node${event.nodeCount === 1 ? '' : 's'} on target '${event.target}' (${event.threads} threads)`,
        );
        break;
      case 'node_finished': {
        const width = String(event.total).length;
        const position = `${String(event.index).padStart(width)} of ${event.total}`;
        const what =
          event.resourceType === 'test'
            ? `test ${event.name}`
            : `${event.materialized ?? event.resourceType} ${event.relation ?? event.name}`;
        const detail =
          event.status === 'success'
            ? event.rowsAffected !== undefined
              ? ` [${event.rowsAffected} rows]`
              : ''
            : event.status === 'pass'
              ? ''
              : ` — ${event.message ?? ''}`;
        output.out(
          `${position} ${statusLabel[event.status] ?? event.status.toUpperCase()} ${what}${detail} in ${seconds(event.executionMs)}`,
        );
        if ((event.status === 'fail' || event.status === 'warn') && event.sampleRows?.length) {
          for (const row of event.sampleRows) output.out(`        ${JSON.stringify(row)}`);
        }
        break;
      }
      case 'node_skipped':
        output.out(
          `${String(event.index).padStart(String(event.total).length)} of ${event.total} SKIP ${event.resourceType} ${event.name} — ${event.reason}`,
        );
        break;
      case 'hook_finished':
        output.out(`      ${event.hook} hook ${event.index} done in ${seconds(event.executionMs)}`);
        break;
      case 'warning':
        output.err(`warning: ${event.message}`);
        break;
      case 'log':
        if (event.level !== 'debug') output.out(event.message);
        break;
      case 'error':
        output.err(`error: ${event.error.message}`);
        break;
      case 'run_finished': {
        const parts = Object.entries(event.counts).map(
          ([status, count]) => `${statusLabel[status] ?? status}=${count}`,
        );
        output.out(
          `Finished ${event.command} in ${seconds(event.elapsedMs)}: ${parts.join(' ') || 'nothing to do'} ${event.interrupted ? '— interrupted' : event.success ? '— all good' : '— some nodes failed'}`,
        );
        break;
      }
      default:
        break;
    }
  };
}
