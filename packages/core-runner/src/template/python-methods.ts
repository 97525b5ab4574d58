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
  report(`AttributeError: '${typeName(receiver)}' object has no attribute '${name}'`);
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

function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}
