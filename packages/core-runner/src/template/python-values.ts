import { createHash } from 'node:crypto';
import { lexTemplate } from './jinja-rewrite.js';

/**
 * dbt renders with Python's Jinja, so printed values look like Python's: `True`, `False`, `None`.
 * minijinja prints `true`, `false`, `none`; this rewrites each `{{ expr }}` so the printed value
 * is Python's, in plain Jinja (no JS round trip): other values print exactly as before.
 * Relation calls (`ref`, `source`, `this`), `config`, `doc` and `return` are left as they are.
 *
 * @example
 * pythonPrinting("select {{ a == 1 }}"); // → "select {% with __py = (a == 1) %}{{ … }}{% endwith %}"
 */
export function pythonPrinting(text: string): string {
  if (!text.includes('{{')) return text;
  // Split by the template lexer, so a `}}` inside a string literal does not end the print and
  // raw blocks and comments stay as written. A template that does not lex is left for the
  // engine to report.
  const segments = lexTemplate(text);
  if (!segments) return text;
  let out = '';
  for (const s of segments) {
    out +=
      s.kind === 'expr'
        ? rewritePrint(
            s.text,
            (s.open as string).slice(2),
            s.body as string,
            (s.close as string).slice(0, -2),
          )
        : s.text;
  }
  return out;
}

const untouched =
  /^\s*(ref|source|config|doc|return|caller|__config_get__|__config_require__)\s*\(|^\s*this\s*$|^\s*this\./;

function rewritePrint(match: string, open: string, expr: string, close: string): string {
  if (!expr.trim() || untouched.test(expr)) return match;
  const value = '__py';
  return `{%${open} with ${value} = (${expr}) %}{{ (('True' if ${value} else 'False') if ${value} is boolean else ('None' if ${value} is none else (${value}.__pyval__ if (${value} is mapping and ${value}.__pyval__ is defined) else ${value}))) }}{% endwith ${close}%}`;
}

/**
 * `run_started_at.strftime(` / `.isoformat()`: minijinja cannot call methods of a string, and
 * run_started_at is Python's datetime text here. Other attributes (`.date()`, `.year`,
 * `.astimezone(tz)`, `.timestamp()`) read a datetime object made from that text:
 * `__py_datetime_of__(run_started_at).year`.
 */
const runStartedAtMethod = /(?<![.\w])run_started_at\.(strftime|isoformat)(\s*\()/g;
const runStartedAtAttribute = /(?<![.\w])run_started_at\.(?!strftime\s*\(|isoformat\s*\()(?=[A-Za-z_])/g;
export const runStartedAtGlobals = {
  strftime: '__run_started_at_strftime__',
  isoformat: '__run_started_at_isoformat__',
} as const;

export function rewriteRunStartedAt(text: string): string {
  if (!text.includes('run_started_at.')) return text;
  return text
    .replace(
      runStartedAtMethod,
      (_m, method: 'strftime' | 'isoformat', paren: string) => `${runStartedAtGlobals[method]}${paren}`,
    )
    .replace(runStartedAtAttribute, '__py_datetime_of__(run_started_at).');
}

export const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const mondayFirstDays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A Python `date`/`datetime` as its fields (`tz` an IANA zone; absent for a naive value). */
export interface PyDateParts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  us: number;
  tz?: string;
}

export function partsFromMs(ms: number, tz?: string): PyDateParts {
  const d = new Date(ms);
  return {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
    us: d.getUTCMilliseconds() * 1000,
    ...(tz ? { tz } : {}),
  };
}

export const msOf = (p: PyDateParts) => Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s, Math.floor(p.us / 1000));

/** The UTC offset of `tz` at the wall-clock time `p`, in minutes (Intl's tz database). */
export function offsetMinutes(p: PyDateParts): number {
  if (!p.tz || p.tz === 'UTC') return 0;
  // A fixed offset (`+09:00`, what fromisoformat reads from `...+09:00`).
  if (/^[+-]\d{2}:\d{2}$/.test(p.tz)) {
    const minutes = Number(p.tz.slice(1, 3)) * 60 + Number(p.tz.slice(4, 6));
    return p.tz.startsWith('-') ? -minutes : minutes;
  }
  try {
    const guess = msOf(p);
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: p.tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    const parts: Record<string, string> = Object.fromEntries(
      fmt.formatToParts(new Date(guess)).map((x) => [x.type, x.value]),
    );
    const n = (k: string) => Number(parts[k] ?? 0);
    const local = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
    return Math.round((local - guess) / 60000);
  } catch {
    return 0;
  }
}

/** Python's `strftime` of a date (`isDate`: `%H` is 00) or datetime, in its own zone. */
export function strftime(p: PyDateParts, format: string, isDate: boolean): string {
  const weekday = (new Date(msOf(p)).getUTCDay() + 6) % 7;
  const start = Date.UTC(p.y, 0, 1);
  const dayOfYear = Math.floor((Date.UTC(p.y, p.mo - 1, p.d) - start) / 86_400_000) + 1;
  const off = offsetMinutes(p);
  const sign = off < 0 ? '-' : '+';
  const offText = p.tz ? `${sign}${pad(Math.floor(Math.abs(off) / 60))}${pad(Math.abs(off) % 60)}` : '';
  const codes: Record<string, string> = {
    Y: String(p.y),
    y: pad(p.y % 100),
    m: pad(p.mo),
    d: pad(p.d),
    H: pad(isDate ? 0 : p.h),
    I: pad(p.h % 12 || 12),
    M: pad(p.mi),
    S: pad(p.s),
    f: pad(p.us, 6),
    j: pad(dayOfYear, 3),
    p: p.h < 12 ? 'AM' : 'PM',
    a: (mondayFirstDays[weekday] as string).slice(0, 3),
    A: mondayFirstDays[weekday] as string,
    w: String((weekday + 1) % 7),
    b: (months[p.mo - 1] as string).slice(0, 3),
    B: months[p.mo - 1] as string,
    z: offText,
    Z: p.tz ?? '',
    '%': '%',
  };
  return format.replace(/%([a-zA-Z%])/g, (m, code: string) => codes[code] ?? m);
}

/**
 * Python's `datetime.strftime` for a UTC instant (the directives dbt projects use).
 *
 * @example
 * pythonStrftime(new Date('2024-03-05T07:08:09.010Z'), '%Y%m%d_%H%M%S'); // → '20240305_070809'
 */
export function pythonStrftime(date: Date, format: string): string {
  return strftime(partsFromMs(date.getTime(), 'UTC'), format, false);
}

/** Python's `str(datetime)` of an aware UTC datetime: `2024-03-05 07:08:09.010000+00:00`. */
export function pythonDatetimeText(date: Date, separator = ' '): string {
  return `${pythonStrftime(date, '%Y-%m-%d')}${separator}${pythonStrftime(date, '%H:%M:%S.%f')}+00:00`;
}

/** dbt's context functions that are Python builtins or dbt helpers: zip, set, local_md5. */
export const pythonBuiltins = {
  zip: (...lists: unknown[]) => {
    const arrays = lists.map((l) => (Array.isArray(l) ? l : typeof l === 'string' ? [...l] : []));
    const length = arrays.length === 0 ? 0 : Math.min(...arrays.map((a) => a.length));
    return Array.from({ length }, (_, i) => arrays.map((a) => a[i]));
  },
  // Jinja has no set type: a list of the distinct values, sorted, so that two sets of the same
  // values compare equal (`set(a) != set(b)` in dbt_utils' equality test) whatever order they
  // came in (a Python set's order is arbitrary anyway).
  set: (values: unknown = []) => {
    const list = Array.isArray(values) ? values : typeof values === 'string' ? [...values] : [];
    const distinct = new Map<string, unknown>();
    for (const v of list) {
      const key = JSON.stringify(v) ?? String(v);
      if (!distinct.has(key)) distinct.set(key, v);
    }
    return [...distinct]
      .sort(([a, va], [b, vb]) => setOrder(va, vb) || (a < b ? -1 : a > b ? 1 : 0))
      .map(([, v]) => v);
  },
  local_md5: (text: unknown) => createHash('md5').update(String(text)).digest('hex'),
};

/** Numbers before strings before anything else; numbers by value, strings by code point. */
function setOrder(a: unknown, b: unknown): number {
  const rank = (v: unknown) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return 0;
}

/** Python's `type(value).__name__` for a value as templates hold it. */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}
