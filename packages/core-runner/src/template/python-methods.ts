import { pythonTypeName } from './python-values.js';
import { splitArgs, toPlain } from './render-scope.js';

/**
 * Python methods minijinja's lists and strings lack, reached through `__py_method__(receiver,
 * 'name', ...args)` (operator-rewrite.ts): `list.index(x)`, `str.index(sub)`, `str.format(...)`.
 * Nothing here may throw: Python's errors go to `report` and a harmless value is returned.
 *
 * @example
 * pythonMethod(['A', 'B'], 'index', ['B'], report); // → 1
 * pythonMethod('{} of {n}', 'format', [1, new Map([['n', 2]])], report); // → '1 of 2'
 */
export function pythonMethod(
  receiver: unknown,
  name: string,
  args: unknown[],
  report: (message: string) => void,
): unknown {
  if (name === 'index') {
    const [wanted] = args;
    if (typeof receiver === 'string') {
      const at = receiver.indexOf(String(wanted));
      if (at < 0) report('ValueError: substring not found');
      return at;
    }
    if (Array.isArray(receiver)) {
      const key = JSON.stringify(toPlain(wanted));
      const at = receiver.findIndex((item) => JSON.stringify(toPlain(item)) === key);
      if (at < 0) report(`ValueError: ${pythonReprOf(wanted)} is not in list`);
      return at;
    }
  }
  if (name === 'format' && typeof receiver === 'string') return formatString(receiver, args, report);
  if (name === '__mod__' && typeof receiver === 'string') return percentFormat(receiver, args[0], report);
  report(`AttributeError: '${pythonTypeName(receiver)}' object has no attribute '${name}'`);
  return null;
}

/** Python's `str.format`: `{}`, `{0}`, `{name}`, `{x.attr}`/`{x[key]}`, `{{`/`}}`; specs `:>8`, `:.2f`, `:,`. */
function formatString(template: string, args: unknown[], report: (message: string) => void): string {
  const { positional, kwargs } = splitArgs(args);
  let auto = 0;
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (match, field: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const [path = '', spec = ''] = (field ?? '').split(/:(.*)/s);
    const [head = '', ...rest] = path.split(/(?=[.[])/);
    let value: unknown =
      head === '' ? positional[auto++] : /^\d+$/.test(head) ? positional[Number(head)] : kwargs[head];
    for (const part of rest) {
      const key = part.startsWith('.') ? part.slice(1) : part.slice(1, -1);
      const plain = toPlain(value) as Record<string, unknown> | unknown[] | null;
      value = plain && typeof plain === 'object' ? (plain as Record<string, unknown>)[key] : undefined;
    }
    if (value === undefined) {
      report(`KeyError/IndexError in str.format: no value for '{${field ?? ''}}'`);
      return '';
    }
    return applySpec(value, spec);
  });
}

/** Python's `'text' % args`: `%s %r %d %i %f %.2f %x %%`, a tuple of values or `%(name)s` from a dict. */
function percentFormat(template: string, values: unknown, report: (message: string) => void): string {
  const plain = toPlain(values);
  const list = Array.isArray(plain) ? plain : [plain];
  const named =
    plain && typeof plain === 'object' && !Array.isArray(plain) ? (plain as Record<string, unknown>) : {};
  let next = 0;
  let missing = false;
  const out = template.replace(
    /%(?:\(([^)]*)\))?([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdifrxXeEgG%])/g,
    (
      _m,
      key: string | undefined,
      flags: string,
      width: string | undefined,
      precision: string | undefined,
      type: string,
    ) => {
      if (type === '%') return '%';
      if (key === undefined && next >= list.length) missing = true;
      const value = key !== undefined ? named[key] : list[next++];
      let text: string;
      if (type === 'd' || type === 'i') text = String(Math.trunc(Number(value)));
      else if (type === 'f') text = Number(value).toFixed(Number(precision ?? 6));
      else if (type === 'x' || type === 'X') {
        text = Math.trunc(Number(value)).toString(16);
        if (type === 'X') text = text.toUpperCase();
      } else if (type === 'r') text = pythonReprOf(value);
      else text = pythonStr(value);
      const w = Number(width ?? 0);
      if (w > text.length) {
        const pad = (flags.includes('0') && !flags.includes('-') ? '0' : ' ').repeat(w - text.length);
        text = flags.includes('-') ? text + pad : pad + text;
      }
      return text;
    },
  );
  if (missing) report('TypeError: not enough arguments for format string');
  return out;
}

function applySpec(value: unknown, spec: string): string {
  const m = /^(?:(.)?([<>^]))?(\d+)?(,)?(?:\.(\d+))?([fdsg%])?$/.exec(spec);
  let text: string;
  if (!spec || !m) text = pythonStr(value);
  else {
    const [, fill = ' ', align = typeof value === 'number' ? '>' : '<', widthText, comma, precision, type] =
      m;
    const n = Number(value);
    if (type === 'f' || (precision !== undefined && typeof value === 'number'))
      text = n.toFixed(Number(precision ?? 6));
    else if (type === '%') text = `${(n * 100).toFixed(Number(precision ?? 6))}%`;
    else text = pythonStr(value);
    if (comma) {
      const [whole = '', fraction] = text.split('.');
      text = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction !== undefined ? `.${fraction}` : '');
    }
    const width = Number(widthText ?? 0);
    if (width > text.length) {
      const pad = fill.repeat(width - text.length);
      text =
        align === '<'
          ? text + pad
          : align === '>'
            ? pad + text
            : pad.slice(0, pad.length >> 1) + text + pad.slice(pad.length >> 1);
    }
  }
  return text;
}

function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(toPlain(value));
}

function pythonReprOf(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : pythonStr(value);
}
