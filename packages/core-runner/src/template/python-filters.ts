import { pythonText } from './context-values.js';
import { splitArgs } from './render-scope.js';

/**
 * Jinja filters whose minijinja version differs from Python Jinja's in what packages rely on.
 * Registered over minijinja's own; each must never throw (a throwing callback corrupts the engine).
 */
export const pythonFilters: Record<string, (...args: unknown[]) => unknown> = {
  /**
   * `indent(width=4, first=False, blank=False)`: minijinja requires the width (dbt_utils writes
   * `{{ dbt_utils.deduplicate(...) | indent }}`). Python Jinja's rules: the text gets a newline
   * appended before it is split into lines, the first line and blank lines are left alone unless
   * asked, and a string width is the indentation itself.
   *
   * @example
   * pythonFilters.indent('a\n\nb') // → 'a\n\n    b'
   */
  indent: (value: unknown, ...rest: unknown[]) => {
    const { positional, kwargs } = splitArgs(rest);
    const width = kwargs.width ?? positional[0] ?? 4;
    const first = Boolean(kwargs.first ?? positional[1] ?? false);
    const blank = Boolean(kwargs.blank ?? positional[2] ?? false);
    const indention = typeof width === 'string' ? width : ' '.repeat(Math.max(0, Number(width) || 0));
    const lines = splitLines(`${typeof value === 'string' ? value : pythonText(value)}\n`);
    let out = blank
      ? lines.join(`\n${indention}`)
      : [lines[0] ?? '', ...lines.slice(1).map((line) => (line ? indention + line : line))].join('\n');
    if (first) out = indention + out;
    return out;
  },
};

/** Python's `str.splitlines()` for \n, \r\n and \r: no empty last item for a trailing newline. */
function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
