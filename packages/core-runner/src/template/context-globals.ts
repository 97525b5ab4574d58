import {
  agateTable,
  apiNamespace,
  columnItems,
  iterate,
  jsonYamlFunctions,
  pyObject,
  pythonModules,
  pythonText,
  renderPyValues,
  statementResult,
  toJinja,
} from './context-values.js';
import { PythonDatetime } from './python-datetime.js';
import { pythonMethod } from './python-methods.js';
import { quoteIdentifier, relationText, relationValue } from './relation-value.js';
import { type QueryResultValue, type RenderScope, splitArgs, toPlain } from './render-scope.js';

/** What one top-level render keeps between Jinja callbacks. */
export interface ContextState {
  /** `{% call statement('name') %}` results by name, for `load_result('name')`. */
  statements: Map<string, QueryResultValue | null>;
  /** Values handed to `return()`, by token number. */
  returns: unknown[];
  /** Nesting of `render` calls (the state is reset by the outermost). */
  depth: number;
}

const returnToken = /⦃ret:(\d+)⦄/;
const returnTokens = /⦃ret:(\d+)⦄/g;

/** Any `return()` token left in rendered text (a macro printed, not called through `__rv__`): its value as Python prints it. */
export function resolveReturnTokens(output: string, context: ContextState): string {
  if (!output.includes('⦃ret:')) return output;
  return output.replace(returnTokens, (_m, n: string) => pythonText(context.returns[Number(n)]));
}

/**
 * The context functions that need the render state: `return` and `__rv__` (a macro's returned
 * value, see jinja-rewrite.ts), `__dict_get__`, `__iter__`, `__items__`, statement blocks and
 * `load_result`, `modules`, `api`, `tojson`/`fromjson`/`toyaml`/`fromyaml`, `print`.
 */
export function contextGlobals(scope: () => RenderScope, context: ContextState): Record<string, unknown> {
  const report = (message: string) => {
    scope().errors.push({ code: 'SSA-JINJA-003', message });
  };
  const datetime = new PythonDatetime(pyObject, toJinja, report);
  return {
    return: (value: unknown) => {
      context.returns.push(value);
      return `⦃ret:${context.returns.length - 1}⦄`;
    },
    __rv__: (output: unknown) => {
      if (typeof output !== 'string') return toJinja(output);
      const m = returnToken.exec(output);
      return m ? toJinja(context.returns[Number(m[1])]) : output;
    },
    __dict_get__: (receiver: unknown, key: unknown, fallback: unknown = null) => {
      if (receiver instanceof Map) return toJinja(receiver.has(key) ? receiver.get(key) : fallback);
      return toJinja(fallback);
    },
    __iter__: (value: unknown) => iterate(value),
    // `m(**d)` for a macro that reads `kwargs`: d's declared names as they are, the rest (and the
    // call's undeclared keyword arguments) as its `kwargs` (see jinja-rewrite.ts).
    __kwsplit__: (splats: unknown, declared: unknown, extra: unknown) => {
      const names = new Set(Array.isArray(declared) ? declared.map(String) : []);
      const out: Record<string, unknown> = {};
      const rest: Record<string, unknown> = {};
      for (const splat of [...(Array.isArray(splats) ? splats : []), extra]) {
        const plain = toJinja(splat);
        if (!plain || typeof plain !== 'object' || Array.isArray(plain)) continue;
        for (const [key, value] of Object.entries(plain)) {
          if (names.has(key)) out[key] = value;
          else rest[key] = value;
        }
      }
      if (Object.keys(rest).length > 0) out.kwargs = rest;
      return out;
    },
    __items__: (value: unknown) =>
      value instanceof Map ? [...value].map(([k, v]) => [k, toJinja(v)]) : columnItems(value),
    __statement__: (name: unknown, sql: unknown) => {
      const result = scope().runQuery(renderPyValues(String(sql)));
      if (name !== undefined && name !== null) context.statements.set(String(name), result);
      return '';
    },
    load_result: (name: unknown) => {
      const key = String(name);
      if (!context.statements.has(key)) return null;
      return statementResult(context.statements.get(key) ?? null);
    },
    // `relation.incorporate(path={...}, type=...)`: a copy of the relation with parts replaced.
    __incorporate__: (relation: unknown, ...args: unknown[]) => {
      const { kwargs } = splitArgs(args);
      const plain = (toPlain(relation) ?? {}) as Record<string, unknown>;
      const path = (toPlain(kwargs.path) ?? {}) as Record<string, unknown>;
      const pick = (name: string) => String(path[name] ?? plain[name] ?? '');
      const database = pick('database');
      const next = {
        ...(database ? { database } : {}),
        schema: pick('schema'),
        identifier: pick('identifier'),
      };
      const rendered = [database, next.schema, next.identifier]
        .filter((p) => p)
        .map(quoteIdentifier)
        .join('.');
      return { ...relationValue(next, rendered), type: kwargs.type ?? plain.type ?? null };
    },
    __relation_render__: (relation: unknown) =>
      typeof relation === 'string' ? relation : (relationText(toPlain(relation)) ?? ''),
    modules: pythonModules(report, datetime),
    // `a - b`, `a < b` where a date, datetime or timedelta may be involved (operator-rewrite.ts).
    __py_binop__: (op: unknown, a: unknown, b: unknown) => toJinja(datetime.binop(op, a, b)),
    // `run_started_at.year` / `.date()` / `.astimezone(tz)` (python-values.ts rewriteRunStartedAt).
    __py_datetime_of__: (text: unknown) => datetime.fromText(text),
    // `list.index(x)`, `str.index(s)`, `str.format(...)` (operator-rewrite.ts, python-methods.ts).
    __py_method__: (receiver: unknown, name: unknown, ...args: unknown[]) =>
      toJinja(pythonMethod(toJinja(receiver), String(name), args, report)),
    api: apiNamespace(quoteIdentifier),
    print: (...args: unknown[]) => {
      scope().log(args.map((a) => pythonText(toJinja(a))).join(' '), true);
      return '';
    },
    ...jsonYamlFunctions(report),
    __agate__: (result: unknown) =>
      agateTable((result ?? { column_names: [], rows: [], columns: [] }) as QueryResultValue),
  };
}

/** dbt's `statement` macro: `{% call statement('name', fetch_result=True) %}sql{% endcall %}`, then `load_result('name')`. */
export const contextMacroFiles: { path: string; text: string; names: string[] }[] = [
  {
    path: 'macros/statement.sql',
    names: ['statement'],
    text: `{% macro statement(name=none, fetch_result=false, auto_begin=true, language='sql') -%}
{%- if execute -%}{%- do __statement__(name, caller()) -%}{%- endif -%}
{%- endmacro %}
`,
  },
  {
    path: 'macros/should_config.sql',
    names: ['should_store_failures', 'should_full_refresh'],
    text: `{% macro should_store_failures() -%}
{%- set configured = config.get('store_failures') -%}
{%- if configured is none -%}{%- set configured = flags.STORE_FAILURES -%}{%- endif -%}
{{ return(configured) }}
{%- endmacro %}
{% macro should_full_refresh() -%}
{%- set configured = config.get('full_refresh') -%}
{%- if configured is none -%}{%- set configured = flags.FULL_REFRESH -%}{%- endif -%}
{{ return(configured) }}
{%- endmacro %}
`,
  },
];
