import { yamlLibrary } from '../project/yaml-library.js';
import { datetimeModules, PythonDatetime } from './python-datetime.js';
import { type RelationValue, relationText, relationValue } from './relation-value.js';
import { type QueryResultValue, splitArgs, toPlain } from './render-scope.js';

/**
 * Values of dbt's Jinja context that are Python objects in dbt: agate tables, `modules.datetime`,
 * `modules.re`, `modules.pytz`, `api.Relation` / `api.Column`, `tojson` and friends. minijinja
 * copies JS values into its own (a JS object becomes a map, its function properties callable
 * methods; a JS Map becomes an empty map), so every value handed to Jinja goes through `toJinja`.
 * Objects with methods carry an id (`__pyobj__`) so that when Jinja hands one back to JS (as a
 * macro's return value, say) the original object, methods and all, is restored.
 * Nothing here may throw: problems go to `report` and a harmless value is returned.
 */

const registry = new Map<number, object>();
let nextId = 1;

/** Registers an object with methods so that its copy coming back from Jinja can be restored. */
export function pyObject<T extends object>(value: T): T & { __pyobj__: number } {
  const id = nextId++;
  const tagged = Object.assign(value, { __pyobj__: id });
  registry.set(id, tagged);
  return tagged;
}

/** Forgets registered objects (after a top-level render). */
export function clearPyObjects(): void {
  registry.clear();
}

/** A value from Jinja (Maps for dicts) as Jinja can take it back (plain objects), methods restored. */
export function toJinja(value: unknown, depth = 0): unknown {
  if (depth > 50) return null;
  if (value instanceof Map) {
    const id = value.get('__pyobj__');
    if (typeof id === 'number' && registry.has(id)) return registry.get(id);
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[typeof k === 'string' ? k : jsonText(toPlain(k))] = toJinja(v, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => toJinja(v, depth + 1));
  if (value === undefined) return null;
  return value;
}

const jsonText = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return 'null';
  }
};

/** How Python would print a value inside SQL (`str(x)`): lists and dicts as Python reprs. */
export function pythonText(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Map) return pythonText(toJinja(value));
  if (typeof value === 'object' && '__str__' in value && typeof value.__str__ === 'function')
    return String((value.__str__ as () => string)());
  if (typeof value === 'object' && '__relation__' in value) return relationText(value) ?? '';
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  const entries = Object.entries(value as object).filter(([k]) => k !== '__pyobj__');
  return `{${entries.map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(', ')}}`;
}

function pythonRepr(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return pythonText(value);
}

// ---------------------------------------------------------------------------------------------
// Agate-like tables

export interface AgateTable {
  column_names: string[];
  column_types: string[];
  rows: unknown[][];
  columns: { name: string; values: () => unknown[] }[];
  __rows__: Record<string, unknown>[];
}

/**
 * A query result as dbt's agate Table: `.columns` (a list: `columns[0].values()`, `.name`;
 * `.columns.items()` pairs names with columns, via `__items__`), `.rows` (lists: `rows[0][0]`),
 * `.column_names`, and `for row in table` (rows as maps by column name, via `__iter__`).
 */
export function agateTable(result: QueryResultValue): AgateTable {
  const names = result.column_names;
  const rows = result.rows.map((r) => r.map(cell));
  const columns = names.map((name, i) => {
    const values = rows.map((r) => r[i]);
    return pyObject({ name, values: () => values, values_distinct: () => [...new Set(values)] });
  });
  return pyObject({
    column_names: names,
    column_types: names.map(() => 'Text'),
    rows,
    columns,
    __rows__: rows.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]]))),
  });
}

/** A warehouse value as Jinja should see it (dates as ISO text, big integers as numbers when safe). */
function cell(value: unknown): unknown {
  if (typeof value === 'bigint')
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : String(value);
  if (value instanceof Date) return value.toISOString();
  if (value === undefined) return null;
  return value;
}

/** `x.items()` of a table's column list (agate's columns are a mapping by name). */
export function columnItems(value: unknown): unknown {
  const restored = toJinja(value);
  if (!Array.isArray(restored)) return [];
  return restored.map((c) => [
    c && typeof c === 'object' && 'name' in c ? (c as { name: unknown }).name : null,
    c,
  ]);
}

/** `for x in value`: a table iterates over its rows; anything else as it is. */
export function iterate(value: unknown): unknown {
  if (value instanceof Map) {
    const restored = toJinja(value);
    if (restored && typeof restored === 'object' && '__rows__' in restored)
      return (restored as AgateTable).__rows__;
    return restored;
  }
  return toJinja(value);
}

/** dbt's `load_result(name)` answer: `data` (rows), `table`, `response`. */
export function statementResult(result: QueryResultValue | null): Record<string, unknown> {
  const table = agateTable(result ?? { column_names: [], rows: [], columns: [] });
  return {
    data: table.rows,
    table,
    response: { _message: 'OK', rows_affected: table.rows.length, code: 'OK' },
  };
}

// ---------------------------------------------------------------------------------------------
// modules.datetime, modules.pytz (python-datetime.ts)

/** Replaces printed Python objects (dates, timezones) in rendered text with what Python prints. */
export function renderPyValues(output: string): string {
  if (!output.includes('⦃')) return output;
  return unprintedMaps(output).replace(/⦃dt:([^⦄]*)⦄/g, (_m, text: string) => text);
}

/**
 * A date joined into text with `~` (or `| string`) prints as minijinja prints a map:
 * `{"__pyobj__": 3, "__pyval__": "⦃dt:2024-01-02⦄", …}`. Each such map becomes what Python's
 * `str()` gives (`"cast('" ~ start_date ~ "' as date)"` in dbt_date's get_base_dates).
 */
function unprintedMaps(text: string): string {
  const head = /\{"__pyobj__": \d+, "__pyval__": "⦃dt:([^⦄]*)⦄"/g;
  let out = '';
  let last = 0;
  for (let m = head.exec(text); m; m = head.exec(text)) {
    const end = closingBrace(text, m.index);
    if (end < 0) break;
    out += text.slice(last, m.index) + (m[1] as string);
    last = head.lastIndex = end + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** The index of the `}` closing the map printed at `start` (strings skipped), or -1. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/** `modules`: what packages use of Python's datetime, re and pytz. */
export function pythonModules(
  report: (message: string) => void,
  dt: PythonDatetime = new PythonDatetime(pyObject, toJinja, report),
): Record<string, unknown> {
  return { ...datetimeModules(dt, report), re: pythonRe(report) };
}

const num = (v: unknown, fallback = 0) =>
  typeof v === 'number' ? v : v === undefined || v === null ? fallback : Number(v);

/** Python's `re` for the patterns packages use (JS RegExp syntax is close enough for them). */
function pythonRe(report: (message: string) => void): Record<string, unknown> {
  const compile = (pattern: unknown, flags: unknown = 0, global = false): RegExp | undefined => {
    try {
      let source = String(pattern)
        .replace(/\(\?P</g, '(?<')
        .replace(/\\A/g, '^')
        .replace(/\\Z/g, '$');
      let f = global ? 'g' : '';
      const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
      if (inline) {
        source = source.slice(inline[0].length);
        if (inline[1]?.includes('i')) f += 'i';
        if (inline[1]?.includes('m')) f += 'm';
        if (inline[1]?.includes('s')) f += 's';
      }
      const n = Number(flags) || 0;
      if (n & 2 && !f.includes('i')) f += 'i';
      if (n & 8 && !f.includes('m')) f += 'm';
      if (n & 16 && !f.includes('s')) f += 's';
      return new RegExp(source, f);
    } catch (error) {
      report(`re: bad pattern ${String(pattern)}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };
  const matchObject = (m: RegExpExecArray | null) =>
    m
      ? pyObject({
          group: (i: unknown = 0) =>
            typeof i === 'string' ? (m.groups?.[i] ?? null) : (m[Number(i)] ?? null),
          groups: () => m.slice(1).map((v) => v ?? null),
          start: () => m.index,
          end: () => m.index + m[0].length,
          __str__: () => m[0],
        })
      : null;
  return {
    IGNORECASE: 2,
    I: 2,
    MULTILINE: 8,
    M: 8,
    DOTALL: 16,
    S: 16,
    escape: (text: unknown) => String(text).replace(/[.*+?^${}()|[\]\\\-#&~\s]/g, '\\$&'),
    sub: (pattern: unknown, repl: unknown, text: unknown, ...rest: unknown[]) => {
      const { positional, kwargs } = splitArgs(rest);
      const count = num(kwargs.count ?? positional[0]);
      const re = compile(pattern, kwargs.flags ?? positional[1], count === 0);
      if (!re) return String(text);
      const replacement = String(repl)
        .replace(/\\(\d)/g, '$$$1')
        .replace(/\\g<(\w+)>/g, '$$<$1>');
      if (count <= 1) return String(text).replace(re, replacement);
      let out = String(text);
      for (let i = 0; i < count; i++) out = out.replace(re, replacement);
      return out;
    },
    match: (pattern: unknown, text: unknown, flags?: unknown) => {
      const re = compile(`^(?:${String(pattern)})`, flags);
      return re ? matchObject(re.exec(String(text))) : null;
    },
    fullmatch: (pattern: unknown, text: unknown, flags?: unknown) => {
      const re = compile(`^(?:${String(pattern)})$`, flags);
      return re ? matchObject(re.exec(String(text))) : null;
    },
    search: (pattern: unknown, text: unknown, flags?: unknown) => {
      const re = compile(pattern, flags);
      return re ? matchObject(re.exec(String(text))) : null;
    },
    findall: (pattern: unknown, text: unknown, flags?: unknown) => {
      const re = compile(pattern, flags, true);
      if (!re) return [];
      return [...String(text).matchAll(re)].map((m) => (m.length > 2 ? m.slice(1) : (m[1] ?? m[0])));
    },
    split: (pattern: unknown, text: unknown) => {
      const re = compile(pattern);
      return re ? String(text).split(re) : [String(text)];
    },
  };
}

// ---------------------------------------------------------------------------------------------
// api, tojson & co

export function apiNamespace(quote: (name: string) => string): Record<string, unknown> {
  return {
    Relation: {
      create: (...args: unknown[]) => {
        const { positional, kwargs } = splitArgs(args);
        const database = kwargs.database ?? positional[0];
        const schema = kwargs.schema ?? positional[1];
        const identifier = kwargs.identifier ?? positional[2];
        const relation = {
          ...(database ? { database: String(database) } : {}),
          schema: String(schema ?? ''),
          identifier: String(identifier ?? ''),
        };
        const rendered = [relation.database, relation.schema, relation.identifier]
          .filter((part) => part)
          .map((part) => quote(part as string))
          .join('.');
        const value: RelationValue & { type?: unknown } = relationValue(relation, rendered);
        value.type = kwargs.type ?? positional[3] ?? null;
        return value;
      },
      add_ephemeral_prefix: (name: unknown) => `__dbt__cte__${String(name)}`,
    },
    Column: (...args: unknown[]) => column(args),
  };
}

/** `api.Column(name, dtype)`: the attributes packages read. */
export function column(args: unknown[]): Record<string, unknown> {
  const { positional, kwargs } = splitArgs(args);
  const name = String(kwargs.column ?? kwargs.name ?? positional[0] ?? '');
  const dtype = String(kwargs.dtype ?? kwargs.data_type ?? positional[1] ?? '');
  return pyObject({
    name,
    column: name,
    dtype,
    data_type: dtype,
    quoted: `"${name.replace(/"/g, '""')}"`,
    char_size: kwargs.char_size ?? positional[2] ?? null,
    numeric_precision: kwargs.numeric_precision ?? positional[3] ?? null,
    numeric_scale: kwargs.numeric_scale ?? positional[4] ?? null,
    is_string: () => /char|text|string/i.test(dtype),
    is_number: () => /int|numeric|decimal|double|float|real/i.test(dtype),
    is_numeric: () => /numeric|decimal/i.test(dtype),
    is_integer: () => /int/i.test(dtype),
    is_float: () => /double|float|real/i.test(dtype),
    string_size: () => Number(kwargs.char_size ?? positional[2] ?? 65535),
  });
}

export function jsonYamlFunctions(report: (message: string) => void): Record<string, unknown> {
  return {
    tojson: (value: unknown, ...rest: unknown[]) => {
      const { kwargs } = splitArgs(rest);
      try {
        return (
          JSON.stringify(toPlain(value), null, kwargs.indent ? Number(kwargs.indent) : undefined) ?? 'null'
        );
      } catch (error) {
        report(`tojson: ${error instanceof Error ? error.message : String(error)}`);
        return '';
      }
    },
    fromjson: (text: unknown, fallback: unknown = null) => {
      try {
        return toJinja(JSON.parse(String(text)));
      } catch {
        return fallback ?? null;
      }
    },
    toyaml: (value: unknown) => {
      try {
        return yamlLibrary().stringify(toPlain(value));
      } catch (error) {
        report(`toyaml: ${error instanceof Error ? error.message : String(error)}`);
        return '';
      }
    },
    fromyaml: (text: unknown, fallback: unknown = null) => {
      try {
        return toJinja(yamlLibrary().parse(String(text)));
      } catch {
        return fallback ?? null;
      }
    },
  };
}
