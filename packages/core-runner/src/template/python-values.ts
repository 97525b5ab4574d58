import { createHash } from 'node:crypto';

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
  return splitRaw(text)
    .map((part) => (part.raw ? part.text : part.text.replace(printPattern, rewritePrint)))
    .join('');
}

const printPattern = /\{\{([-+]?)([\s\S]*?)([-+]?)\}\}/g;
const untouched =
  /^\s*(ref|source|config|doc|return|caller|__config_get__|__config_require__)\s*\(|^\s*this\s*$|^\s*this\./;

function rewritePrint(match: string, open: string, expr: string, close: string): string {
  if (!expr.trim() || expr.includes('{') || expr.includes('}') || untouched.test(expr)) return match;
  const value = '__py';
  return `{%${open} with ${value} = (${expr}) %}{{ (('True' if ${value} else 'False') if ${value} is boolean else ('None' if ${value} is none else (${value}.__pyval__ if (${value} is mapping and ${value}.__pyval__ is defined) else ${value}))) }}{% endwith ${close}%}`;
}

/** The text outside and inside `{% raw %}…{% endraw %}` blocks (raw text is printed as written). */
function splitRaw(text: string): { text: string; raw: boolean }[] {
  const parts: { text: string; raw: boolean }[] = [];
  const pattern = /\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}/g;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    parts.push({ text: text.slice(last, m.index), raw: false }, { text: m[0], raw: true });
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push({ text: text.slice(last), raw: false });
  return parts;
}

/** `run_started_at.strftime(` / `.isoformat()`: minijinja cannot call methods of a string. */
const runStartedAtMethod = /(?<![.\w])run_started_at\.(strftime|isoformat)(\s*\()/g;
export const runStartedAtGlobals = {
  strftime: '__run_started_at_strftime__',
  isoformat: '__run_started_at_isoformat__',
} as const;

export function rewriteRunStartedAt(text: string): string {
  if (!text.includes('run_started_at.')) return text;
  return text.replace(
    runStartedAtMethod,
    (_m, method: 'strftime' | 'isoformat', paren: string) => `${runStartedAtGlobals[method]}${paren}`,
  );
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const months = [
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

/**
 * Python's `datetime.strftime` for a UTC instant (the directives dbt projects use).
 *
 * @example
 * pythonStrftime(new Date('2024-03-05T07:08:09.010Z'), '%Y%m%d_%H%M%S'); // → '20240305_070809'
 */
export function pythonStrftime(date: Date, format: string): string {
  const hour12 = date.getUTCHours() % 12 || 12;
  const start = Date.UTC(date.getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((date.getTime() - start) / 86_400_000) + 1;
  const codes: Record<string, string> = {
    Y: String(date.getUTCFullYear()),
    y: pad(date.getUTCFullYear() % 100),
    m: pad(date.getUTCMonth() + 1),
    d: pad(date.getUTCDate()),
    H: pad(date.getUTCHours()),
    I: pad(hour12),
    M: pad(date.getUTCMinutes()),
    S: pad(date.getUTCSeconds()),
    f: pad(date.getUTCMilliseconds() * 1000, 6),
    j: pad(dayOfYear, 3),
    p: date.getUTCHours() < 12 ? 'AM' : 'PM',
    a: (days[date.getUTCDay()] as string).slice(0, 3),
    A: days[date.getUTCDay()] as string,
    b: (months[date.getUTCMonth()] as string).slice(0, 3),
    B: months[date.getUTCMonth()] as string,
    z: '+0000',
    Z: 'UTC',
    '%': '%',
  };
  return format.replace(/%([a-zA-Z%])/g, (m, code: string) => codes[code] ?? m);
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
  // Jinja has no set type: a list of the distinct values, in first-seen order.
  set: (values: unknown = []) => {
    const list = Array.isArray(values) ? values : typeof values === 'string' ? [...values] : [];
    const seen = new Set<string>();
    return list.filter((v) => {
      const key = JSON.stringify(v);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  },
  local_md5: (text: unknown) => createHash('md5').update(String(text)).digest('hex'),
};
