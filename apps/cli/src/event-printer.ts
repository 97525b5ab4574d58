import type { EngineEvent } from '@shopsmart/core-runner';
import { type Colour, type OutputStyle, paint } from './output-style.js';
import { createWaitLine } from './wait-line.js';

export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** Several lines to stdout at once (one write for `ls`'s thousand lines); absent: `out` each. */
  outLines?(lines: readonly string[]): void;
  /** Colours / --quiet / terminal (set by main() for the process's stdio; absent: plain lines). */
  style?: OutputStyle;
  /** On a terminal: the status line redrawn in place under the printed lines; '' clears it. */
  live?(text: string): void;
}

const statusLabel: Record<string, string> = {
  success: 'OK',
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  error: 'ERROR',
  skipped: 'SKIP',
  'runtime error': 'ERROR',
  'partial success': 'PARTIAL SUCCESS',
  cancelled: 'CANCEL',
};

const statusColour: Record<string, Colour> = {
  OK: 'green',
  PASS: 'green',
  WARN: 'yellow',
  FAIL: 'red',
  ERROR: 'red',
  SKIP: 'grey',
  CANCEL: 'yellow',
  'PARTIAL SUCCESS': 'yellow',
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`;

/** Renders engine events as one line each (text) or one JSON object per line (json). */
export function createEventPrinter(format: 'text' | 'json', output: Output): (event: EngineEvent) => void {
  if (format === 'json') return (event) => output.out(JSON.stringify(event));
  const waitLine = createWaitLine(output);
  const style = output.style;
  const quiet = style?.quiet === true;
  const label = (status: string) => {
    const text = statusLabel[status] ?? status.toUpperCase();
    const colour = statusColour[text];
    return colour ? paint(style, colour, text) : text;
  };
  const progress = createProgress(output);
  return (event) => {
    if (event.kind !== 'warehouse_wait') waitLine.done();
    progress(event);
    switch (event.kind) {
      case 'warehouse_wait':
        waitLine.wait(event);
        break;
      case 'run_started':
        if (quiet) break;
        output.out(
          `Running ${event.command} with ${event.nodeCount} node${event.nodeCount === 1 ? '' : 's'} on target '${event.target}' (${event.threads} threads)`,
        );
        break;
      case 'node_finished': {
        if (quiet && !['error', 'fail', 'runtime error', 'partial success'].includes(event.status)) break;
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
        output.out(`${position} ${label(event.status)} ${what}${detail} in ${seconds(event.executionMs)}`);
        if ((event.status === 'fail' || event.status === 'warn') && event.sampleRows?.length) {
          for (const row of event.sampleRows) output.out(`        ${JSON.stringify(row)}`);
        }
        break;
      }
      case 'node_skipped':
        if (quiet) break;
        output.out(
          `${String(event.index).padStart(String(event.total).length)} of ${event.total} ${label('skipped')} ${event.resourceType} ${event.name} — ${event.reason}`,
        );
        break;
      case 'hook_finished':
        if (quiet) break;
        output.out(`      ${event.hook} hook ${event.index} done in ${seconds(event.executionMs)}`);
        break;
      case 'warning':
        if (quiet) break;
        output.err(`${paint(style, 'yellow', 'warning')}: ${event.message}`);
        break;
      case 'log':
        if (event.level !== 'debug' && !quiet) output.out(event.message);
        break;
      case 'error':
        output.err(`${paint(style, 'red', 'error')}: ${event.error.message}`);
        break;
      case 'run_finished': {
        const parts = Object.entries(event.counts).map(([status, count]) => `${label(status)}=${count}`);
        output.out(
          `Finished ${event.command} in ${seconds(event.elapsedMs)}: ${parts.join(' ') || 'nothing to do'} ${event.interrupted ? paint(style, 'yellow', '— interrupted') : event.success ? paint(style, 'green', '— all good') : paint(style, 'red', '— some nodes failed')}`,
        );
        break;
      }
      default:
        break;
    }
  };
}

/**
 * The live progress line of a run on a terminal (`[ 12/140] running fct_orders …`), redrawn as
 * nodes start and finish and cleared when the run ends; nothing when output.live is absent.
 */
function createProgress(output: Output): (event: EngineEvent) => void {
  const live = output.live?.bind(output);
  if (!live) return () => {};
  const running: string[] = [];
  let done = 0;
  let total = 0;
  const draw = () => {
    if (total === 0) return;
    const count = `[${String(done).padStart(String(total).length)}/${total}]`;
    const last = running.at(-1);
    const more = running.length > 1 ? ` (+${running.length - 1} more)` : '';
    live(`${count} ${last ? `running ${last}${more} …` : done >= total ? 'finishing …' : 'starting …'}`);
  };
  const finish = (name: string) => {
    const at = running.lastIndexOf(name);
    if (at >= 0) running.splice(at, 1);
    done += 1;
  };
  return (event) => {
    switch (event.kind) {
      case 'run_started':
        total = event.nodeCount;
        draw();
        break;
      case 'node_started':
        total = event.total;
        running.push(event.name);
        draw();
        break;
      case 'node_finished':
      case 'node_skipped':
        total = event.total;
        finish(event.name);
        draw();
        break;
      case 'run_finished':
        total = 0;
        live('');
        break;
      default:
        break;
    }
  };
}
