import type { Output } from './event-printer.js';

/** How text output is rendered: colours, dbt's --quiet, a live progress line. */
export interface OutputStyle {
  /** ANSI colours for statuses (on a terminal; never with --no-color or NO_COLOR). */
  color: boolean;
  /** dbt's --quiet: only errors and the final summary. */
  quiet: boolean;
  /** stdout is a terminal: a progress line may be redrawn in place below the printed lines. */
  live: boolean;
  /** --log-format json: errors are reported as `{"kind":"error"}` events. */
  json?: boolean;
}

/**
 * dbt's rules: no colour with `--no-color` or a non-empty `NO_COLOR`, nor when stdout is not a
 * terminal (piped output stays plain lines) unless `FORCE_COLOR` is set (not `0`); the live
 * progress line only on a real terminal, in text mode and without --quiet.
 */
export function resolveStyle(
  options: { color?: boolean; quiet?: boolean; logFormat?: string },
  env: NodeJS.ProcessEnv = process.env,
  terminal = process.stdout.isTTY === true,
): OutputStyle {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0';
  const text = options.logFormat !== 'json';
  const quiet = options.quiet === true;
  return {
    color: text && options.color !== false && !env.NO_COLOR && (terminal || forced),
    quiet,
    live: text && terminal && !quiet,
  };
}

const codes = { green: 32, yellow: 33, red: 31, grey: 90, bold: 1 } as const;
export type Colour = keyof typeof codes;

/** `text` in `colour` when colours are on (dependency-free: five SGR codes are all the CLI needs). */
export function paint(style: OutputStyle | undefined, colour: Colour, text: string): string {
  return style?.color ? `\x1b[${codes[colour]}m${text}\x1b[0m` : text;
}

/**
 * The process's stdout/stderr with the style attached; on a terminal `live(text)` keeps one status
 * line under the printed lines (cleared before each line and redrawn after it; `live('')` clears).
 */
export function styledOutput(base: Output, style: OutputStyle, stdout = process.stdout): Output {
  if (!style.live) return { ...base, style };
  let current = '';
  const clear = () => {
    if (current) stdout.write('\r\x1b[2K');
  };
  const redraw = () => {
    if (current) stdout.write(current);
  };
  return {
    style,
    out(line) {
      clear();
      base.out(line);
      redraw();
    },
    err(line) {
      clear();
      base.err(line);
      redraw();
    },
    outLines(lines) {
      clear();
      if (base.outLines) base.outLines(lines);
      else for (const line of lines) base.out(line);
      redraw();
    },
    live(text) {
      clear();
      // Never wider than the terminal: a wrapped line could not be redrawn in place.
      const width = (stdout.columns || 80) - 1;
      current = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
      redraw();
    },
  };
}

/** Does the command line ask for `--log-format json` (looked at before parsing, for parse errors too)? */
export function wantsJson(argv: string[]): boolean {
  return argv.some(
    (arg, i) => arg === '--log-format=json' || (arg === '--log-format' && argv[i + 1] === 'json'),
  );
}

const isJsonObject = (line: string): boolean => {
  if (!line.startsWith('{')) return false;
  try {
    return typeof JSON.parse(line) === 'object';
  } catch {
    return false;
  }
};

/**
 * `--log-format json`: stdout carries one JSON object per line and nothing else, stderr nothing.
 * A command's JSON events pass through; any other line (a message, help, an error) becomes a
 * `{"kind":"log","level":…,"message":…}` event, `error`-level when written to stderr as one.
 */
export function jsonOutput(base: Output): Output {
  const log = (level: 'info' | 'warn' | 'error', message: string) =>
    base.out(JSON.stringify({ kind: 'log', level, message, at: new Date().toISOString() }));
  return {
    out: (line) => (isJsonObject(line) ? base.out(line) : log('info', line)),
    err: (line) =>
      isJsonObject(line)
        ? base.out(line)
        : log(/^\s*(warning|waiting)\b/.test(line) ? 'warn' : /^\s*\[/.test(line) ? 'info' : 'error', line),
    style: { color: false, quiet: base.style?.quiet === true, live: false, json: true },
  };
}
