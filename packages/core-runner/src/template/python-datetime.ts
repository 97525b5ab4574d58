import {
  months,
  msOf,
  offsetMinutes,
  type PyDateParts,
  pad,
  partsFromMs,
  pythonTypeName,
  strftime,
} from './python-values.js';
import { splitArgs } from './render-scope.js';

/**
 * Python's `datetime` (date, datetime, timedelta) and `pytz` as dbt packages use them, and the
 * operators minijinja cannot give them: `dt - timedelta`, `date - date`, `dt < other` are
 * rewritten to `__py_binop__('-', a, b)` where an operand is a datetime expression (see
 * operator-rewrite.ts) and answered here. Values are registered JS objects (`pyObject`): a copy
 * coming back from Jinja is the original again, found in `facts` by identity.
 * Nothing here may throw: problems go to `report` and a harmless value is returned.
 */

type Register = <T extends object>(value: T) => T & { __pyobj__: number };
type Restore = (value: unknown) => unknown;

interface DateFacts {
  kind: 'date' | 'datetime';
  p: PyDateParts;
}
interface DeltaFacts {
  kind: 'timedelta';
  /** The whole duration in microseconds. */
  us: number;
}
type Facts = DateFacts | DeltaFacts;

/** What each datetime/timedelta object is, by identity (the registry hands back the same object). */
const facts = new WeakMap<object, Facts>();

const num = (v: unknown, fallback = 0) =>
  typeof v === 'number' ? v : v === undefined || v === null ? fallback : Number(v);

const usPerDay = 86_400_000_000;

function isoText(p: PyDateParts, isDate: boolean, sep = ' '): string {
  const date = `${p.y.toString().padStart(4, '0')}-${pad(p.mo)}-${pad(p.d)}`;
  if (isDate) return date;
  const time = `${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}${p.us ? `.${pad(p.us, 6)}` : ''}`;
  let tz = '';
  if (p.tz) {
    const off = offsetMinutes(p);
    tz = `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  }
  return `${date}${sep}${time}${tz}`;
}

/** Wall-clock microseconds since the epoch (the zone ignored). */
const wallUs = (p: PyDateParts) => msOf({ ...p, us: 0 }) * 1000 + p.us;
/** The instant in microseconds since the epoch (naive values as if UTC, as on a UTC machine). */
const instantUs = (p: PyDateParts) => wallUs(p) - offsetMinutes(p) * 60_000_000;

function partsFromWallUs(us: number, tz: string | undefined): PyDateParts {
  const ms = Math.floor(us / 1000);
  const p = partsFromMs(ms, tz);
  p.us = us - Math.floor(us / 1_000_000) * 1_000_000;
  return p;
}

/** Python's `str(timedelta)`: `10 days, 0:00:00`, `-1 day, 23:00:00`, `0:00:01.500000`. */
function deltaText(us: number): string {
  const days = Math.floor(us / usPerDay);
  let rest = us - days * usPerDay;
  const micro = rest % 1_000_000;
  rest = (rest - micro) / 1_000_000;
  const clock = `${Math.floor(rest / 3600)}:${pad(Math.floor(rest / 60) % 60)}:${pad(rest % 60)}${micro ? `.${pad(micro, 6)}` : ''}`;
  return days === 0 ? clock : `${days} day${Math.abs(days) === 1 ? '' : 's'}, ${clock}`;
}

export class PythonDatetime {
  readonly #register: Register;
  readonly #restore: Restore;
  readonly #report: (message: string) => void;

  constructor(register: Register, restore: Restore, report: (message: string) => void) {
    this.#register = register;
    this.#restore = restore;
    this.#report = report;
  }

  /** A Python `date` (`isDate`) or `datetime`: prints as Python prints it, with the methods packages call. */
  value(p: PyDateParts, isDate: boolean): Record<string, unknown> {
    const make = (q: PyDateParts) => this.value(q, isDate);
    const obj: Record<string, unknown> = {
      __pyval__: `⦃dt:${isoText(p, isDate)}⦄`,
      year: p.y,
      month: p.mo,
      day: p.d,
      strftime: (format: unknown) => strftime({ ...p, tz: p.tz }, String(format), isDate),
      isoformat: (sep?: unknown) => isoText(p, isDate, typeof sep === 'string' ? sep : 'T'),
      weekday: () => (new Date(msOf(p)).getUTCDay() + 6) % 7,
      isoweekday: () => ((new Date(msOf(p)).getUTCDay() + 6) % 7) + 1,
      isocalendar: () => isoCalendar(p),
      toordinal: () => Math.floor(msOf({ ...p, h: 0, mi: 0, s: 0, us: 0 }) / 86_400_000) + 719_163,
      replace: (...args: unknown[]) => make(this.#replaced(p, args)),
      __str__: () => isoText(p, isDate),
    };
    if (!isDate) {
      // A Python date has no time of day and no zone (dbt_date tells the two apart by `.hour`).
      Object.assign(obj, {
        hour: p.h,
        minute: p.mi,
        second: p.s,
        microsecond: p.us,
        tzinfo: p.tz ? this.timezone(p.tz) : null,
        date: () => this.value({ ...p, h: 0, mi: 0, s: 0, us: 0, tz: undefined }, true),
        time: () => `${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}${p.us ? `.${pad(p.us, 6)}` : ''}`,
        timestamp: () => instantUs(p) / 1_000_000,
        astimezone: (tz: unknown) => this.#inZone(instantUs(p), this.zoneOf(tz) ?? 'UTC'),
        utcoffset: () => (p.tz ? this.delta(offsetMinutes(p) * 60_000_000) : null),
      });
    }
    const registered = this.#register(obj);
    facts.set(registered, { kind: isDate ? 'date' : 'datetime', p });
    return registered;
  }

  /** A Python `timedelta` of `us` microseconds (`days`, `seconds`, `microseconds` normalised as Python's). */
  delta(us: number): Record<string, unknown> {
    const days = Math.floor(us / usPerDay);
    const rest = us - days * usPerDay;
    const obj = this.#register({
      __pyval__: `⦃dt:${deltaText(us)}⦄`,
      days,
      seconds: Math.floor(rest / 1_000_000),
      microseconds: rest % 1_000_000,
      total_seconds: () => us / 1_000_000,
      __str__: () => deltaText(us),
    });
    facts.set(obj, { kind: 'timedelta', us });
    return obj;
  }

  /** A pytz / datetime.timezone zone: `zone`, `localize(dt)`, `normalize(dt)`. */
  timezone(zone: string): Record<string, unknown> {
    return this.#register({
      zone,
      __pyval__: `⦃dt:${zone}⦄`,
      __str__: () => zone,
      localize: (value: unknown) => {
        const f = this.facts(value);
        if (f?.kind !== 'datetime') {
          this.#report(`localize() expects a naive datetime, got ${describe(f)}`);
          return null;
        }
        return this.value({ ...f.p, tz: zone }, false);
      },
      normalize: (value: unknown) => {
        const f = this.facts(value);
        return f?.kind === 'datetime' ? this.#inZone(instantUs(f.p), zone) : this.#restore(value);
      },
    });
  }

  /** A datetime read from Python's text of one (`run_started_at`); a date value passes through. */
  fromText(value: unknown): unknown {
    if (this.facts(value)) return this.#restore(value);
    const p = typeof value === 'string' ? fromIso(value) : undefined;
    if (!p) {
      this.#report(`'${String(value)}' is not a datetime`);
      return null;
    }
    return this.value(p, false);
  }

  /** What a value from Jinja is (a date, datetime, timedelta), if it is one. */
  facts(value: unknown): Facts | undefined {
    const restored = this.#restore(value);
    return restored && typeof restored === 'object' ? facts.get(restored) : undefined;
  }

  /** The zone name of a timezone value from Jinja (`modules.pytz.timezone(...)`), if it is one. */
  zoneOf(value: unknown): string | undefined {
    const tz = this.#restore(value) as { zone?: unknown } | null | undefined;
    return tz && typeof tz === 'object' && typeof tz.zone === 'string' ? tz.zone : undefined;
  }

  #inZone(instant: number, zone: string): Record<string, unknown> {
    const guess = partsFromWallUs(instant, zone);
    return this.value(partsFromWallUs(instant + offsetMinutes(guess) * 60_000_000, zone), false);
  }

  #replaced(p: PyDateParts, args: unknown[]): PyDateParts {
    const { kwargs } = splitArgs(args);
    const q = { ...p };
    if (kwargs.year !== undefined) q.y = num(kwargs.year);
    if (kwargs.month !== undefined) q.mo = num(kwargs.month);
    if (kwargs.day !== undefined) q.d = num(kwargs.day);
    if (kwargs.hour !== undefined) q.h = num(kwargs.hour);
    if (kwargs.minute !== undefined) q.mi = num(kwargs.minute);
    if (kwargs.second !== undefined) q.s = num(kwargs.second);
    if (kwargs.microsecond !== undefined) q.us = num(kwargs.microsecond);
    if ('tzinfo' in kwargs) {
      const zone = this.zoneOf(kwargs.tzinfo);
      if (zone) q.tz = zone;
      else delete q.tz;
    }
    return q;
  }

  /** `datetime(...)` / `date(...)` from Python's positional and keyword arguments. */
  fromArgs(args: unknown[], isDate: boolean): Record<string, unknown> {
    const { positional, kwargs } = splitArgs(args);
    const names = ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond'];
    const v = names.map((n, i) => num(kwargs[n] ?? positional[i], i < 3 ? 1 : 0));
    const zone = this.zoneOf(kwargs.tzinfo ?? positional[7]);
    const [y, mo, d, h, mi, s, us] = v as [number, number, number, number, number, number, number];
    return isDate
      ? this.value({ y, mo, d, h: 0, mi: 0, s: 0, us: 0 }, true)
      : this.value({ y, mo, d, h, mi, s, us, ...(zone ? { tz: zone } : {}) }, false);
  }

  /** `timedelta(days, seconds, microseconds, milliseconds, minutes, hours, weeks)`. */
  deltaFromArgs(args: unknown[]): Record<string, unknown> {
    const { positional, kwargs } = splitArgs(args);
    const units: [string, number][] = [
      ['days', usPerDay],
      ['seconds', 1_000_000],
      ['microseconds', 1],
      ['milliseconds', 1000],
      ['minutes', 60_000_000],
      ['hours', 3_600_000_000],
      ['weeks', 7 * usPerDay],
    ];
    const total = units.reduce((sum, [name, size], i) => sum + num(kwargs[name] ?? positional[i]) * size, 0);
    return this.delta(Math.round(total));
  }

  /**
   * `a <op> b` as Python computes it when a date, datetime or timedelta is involved (and as Jinja
   * does for numbers, strings and lists otherwise): `+ - < <= > >= == !=`.
   */
  binop(op: unknown, left: unknown, right: unknown): unknown {
    let a = this.facts(left);
    let b = this.facts(right);
    // A datetime written as text (dbt's run_started_at here) meets a date value: read it as one.
    if (!a && b && typeof left === 'string') a = parseIsoFacts(left);
    if (!b && a && typeof right === 'string') b = parseIsoFacts(right);
    const operator = String(op);
    if (!a && !b) return plainBinop(operator, left, right, this.#report);
    if (operator === '+' || operator === '-') {
      const result = this.#arith(operator, a, b);
      if (result !== undefined) return result;
      this.#report(
        `unsupported operand type(s) for ${operator}: '${describe(a, left)}' and '${describe(b, right)}'`,
      );
      return null;
    }
    if (operator === '==' || operator === '!=') {
      const same = a !== undefined && b !== undefined && a.kind === b.kind && compareKey(a) === compareKey(b);
      return operator === '==' ? same : !same;
    }
    if (!a || !b || a.kind !== b.kind) {
      this.#report(
        `'${operator}' not supported between instances of '${describe(a, left)}' and '${describe(b, right)}'`,
      );
      return false;
    }
    const [x, y] = [compareKey(a), compareKey(b)];
    return compare(operator, x, y);
  }

  #arith(op: '+' | '-', a: Facts | undefined, b: Facts | undefined): unknown {
    if (!a || !b) return undefined;
    const sign = op === '+' ? 1 : -1;
    if (a.kind === 'timedelta' && b.kind === 'timedelta') return this.delta(a.us + sign * b.us);
    if (a.kind === 'timedelta' && op === '+' && b.kind !== 'timedelta') return this.#shift(b, a.us);
    if (a.kind !== 'timedelta' && b.kind === 'timedelta') return this.#shift(a, sign * b.us);
    if (op === '-' && a.kind === 'date' && b.kind === 'date') return this.delta(wallUs(a.p) - wallUs(b.p));
    if (op === '-' && a.kind === 'datetime' && b.kind === 'datetime') {
      const aware = Boolean(a.p.tz) && Boolean(b.p.tz);
      return this.delta(aware ? instantUs(a.p) - instantUs(b.p) : wallUs(a.p) - wallUs(b.p));
    }
    return undefined;
  }

  /** A date or datetime moved by a duration (a date moves by whole days, as Python's does). */
  #shift(f: DateFacts, us: number): Record<string, unknown> {
    if (f.kind === 'date') {
      const days = Math.trunc(us / usPerDay) - (us < 0 && us % usPerDay !== 0 ? 1 : 0);
      const moved = partsFromWallUs(wallUs(f.p) + days * usPerDay, undefined);
      return this.value(moved, true);
    }
    return this.value(partsFromWallUs(wallUs(f.p) + us, f.p.tz), false);
  }
}

/** Python's `isocalendar()`: ISO year, week and weekday (the week holding the year's first Thursday is 1). */
function isoCalendar(p: PyDateParts): number[] {
  const weekday = (new Date(Date.UTC(p.y, p.mo - 1, p.d)).getUTCDay() + 6) % 7;
  const thursday = new Date(Date.UTC(p.y, p.mo - 1, p.d - weekday + 3));
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / 604_800_000) + 1;
  return [year, week, weekday + 1];
}

/** A comparable number: instants for aware datetimes, wall time for naive ones and dates. */
function compareKey(f: Facts): number {
  if (f.kind === 'timedelta') return f.us;
  return f.kind === 'datetime' && f.p.tz ? instantUs(f.p) : wallUs(f.p);
}

function compare(op: string, x: number | string, y: number | string): boolean {
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    default:
      return false;
  }
}

function describe(f: Facts | undefined, value?: unknown): string {
  return f ? f.kind : pythonTypeName(value);
}

/** A date or datetime written as ISO text (`2024-01-02`, `2024-01-02 03:04:05.123456+00:00`). */
function parseIsoFacts(text: string): DateFacts | undefined {
  const p = fromIso(text);
  if (!p) return undefined;
  return { kind: /^\s*\d{4}-\d{2}-\d{2}\s*$/.test(text) ? 'date' : 'datetime', p };
}

/** Jinja's own `+ - < <= > >= == !=` for values that are not dates (what the rewrite replaced). */
function plainBinop(op: string, a: unknown, b: unknown, report: (message: string) => void): unknown {
  if (op === '==' || op === '!=') {
    const same = JSON.stringify(a) === JSON.stringify(b);
    return op === '==' ? same : !same;
  }
  if (op === '+') {
    if (typeof a === 'number' && typeof b === 'number') return a + b;
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  } else if (op === '-') {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
  } else if (
    (typeof a === 'number' && typeof b === 'number') ||
    (typeof a === 'string' && typeof b === 'string')
  ) {
    return compare(op, a, b);
  }
  report(
    `unsupported operand type(s) for ${op}: '${describe(undefined, a)}' and '${describe(undefined, b)}'`,
  );
  return op === '+' || op === '-' ? null : false;
}

/** Python `strptime` for the directives dates use. */
export function strptime(text: string, format: string): PyDateParts | undefined {
  const fields: string[] = [];
  const pattern = format
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%([a-zA-Z%])/g, (_m, code: string) => {
      if (code === '%') return '%';
      fields.push(code);
      return code === 'f'
        ? '(\\d{1,6})'
        : code === 'Y'
          ? '(\\d{4})'
          : code === 'b' || code === 'B'
            ? '([A-Za-z]+)'
            : code === 'z'
              ? '([+-]\\d{2}:?\\d{2}|Z)'
              : '(\\d{1,2})';
    });
  const m = new RegExp(`^${pattern}$`).exec(text);
  if (!m) return undefined;
  const p: PyDateParts = { y: 1900, mo: 1, d: 1, h: 0, mi: 0, s: 0, us: 0 };
  fields.forEach((code, i) => {
    const v = m[i + 1] as string;
    if (code === 'Y') p.y = Number(v);
    else if (code === 'y') p.y = 2000 + Number(v);
    else if (code === 'm') p.mo = Number(v);
    else if (code === 'd') p.d = Number(v);
    else if (code === 'H') p.h = Number(v);
    else if (code === 'M') p.mi = Number(v);
    else if (code === 'S') p.s = Number(v);
    else if (code === 'f') p.us = Number(v.padEnd(6, '0'));
    else if (code === 'z') p.tz = offsetZone(v);
    else if (code === 'b' || code === 'B')
      p.mo = months.findIndex((n: string) => n.startsWith(v.slice(0, 3))) + 1;
  });
  return p;
}

/** `Z` / `+0900` / `+09:00` as a zone name (`UTC` or a fixed offset `+09:00`). */
function offsetZone(text: string): string {
  if (text === 'Z' || text === 'z') return 'UTC';
  const digits = text.replace(':', '');
  const zone = `${digits.slice(0, 3)}:${digits.slice(3, 5)}`;
  return zone === '+00:00' || zone === '-00:00' ? 'UTC' : zone;
}

/** Python's `fromisoformat` (dates, datetimes with `T` or a space, fractions, `Z` or an offset). */
export function fromIso(text: string): PyDateParts | undefined {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text.trim(),
    );
  if (!m) return undefined;
  return {
    y: Number(m[1]),
    mo: Number(m[2]),
    d: Number(m[3]),
    h: Number(m[4] ?? 0),
    mi: Number(m[5] ?? 0),
    s: Number(m[6] ?? 0),
    us: Number((m[7] ?? '0').padEnd(6, '0')),
    ...(m[8] ? { tz: offsetZone(m[8]) } : {}),
  };
}

/** `modules.datetime` and `modules.pytz`. */
export function datetimeModules(dt: PythonDatetime, report: (message: string) => void) {
  const nowParts = () => partsFromMs(Date.now());
  const datetimeClass = {
    now: (tz?: unknown) => {
      const zone = dt.zoneOf(tz);
      if (!zone) return dt.value(nowParts(), false);
      const normalize = dt.timezone(zone).normalize as (v: unknown) => unknown;
      return normalize(dt.value({ ...nowParts(), tz: 'UTC' }, false));
    },
    utcnow: () => dt.value(nowParts(), false),
    today: () => dt.value(nowParts(), false),
    strptime: (text: unknown, format: unknown) => {
      const p = strptime(String(text), String(format));
      if (!p) report(`time data '${String(text)}' does not match format '${String(format)}'`);
      return dt.value(p ?? partsFromMs(0), false);
    },
    fromisoformat: (text: unknown) => {
      const p = fromIso(String(text));
      if (!p) report(`Invalid isoformat string: '${String(text)}'`);
      return dt.value(p ?? partsFromMs(0), false);
    },
    fromtimestamp: (seconds: unknown) => dt.value(partsFromMs(num(seconds) * 1000), false),
    combine: (date: unknown, _time?: unknown) => {
      const f = dt.facts(date);
      return dt.value(f && f.kind !== 'timedelta' ? { ...f.p } : partsFromMs(0), false);
    },
  };
  const dateClass = {
    today: () => dt.value({ ...nowParts(), h: 0, mi: 0, s: 0, us: 0 }, true),
    fromisoformat: (text: unknown) => {
      const p = fromIso(String(text));
      if (!p) report(`Invalid isoformat string: '${String(text)}'`);
      return dt.value({ ...(p ?? partsFromMs(0)), h: 0, mi: 0, s: 0, us: 0, tz: undefined }, true);
    },
  };
  const utc = dt.timezone('UTC');
  return {
    datetime: {
      // `modules.datetime.datetime(...)` and `modules.datetime.datetime.now()` are both rewritten
      // to these names (minijinja cannot call a function's attributes).
      datetime: { ...datetimeClass, __call__: (...args: unknown[]) => dt.fromArgs(args, false) },
      date: { ...dateClass, __call__: (...args: unknown[]) => dt.fromArgs(args, true) },
      timedelta: (...args: unknown[]) => dt.deltaFromArgs(args),
      timezone: { utc },
    },
    pytz: {
      timezone: (name: unknown) => dt.timezone(String(name)),
      utc,
      UTC: utc,
    },
  };
}
