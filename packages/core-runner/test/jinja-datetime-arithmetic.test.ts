import { afterEach, describe, expect, it } from 'vitest';
import { installPackages } from '../src/index.js';
import { rewritePythonOperators } from '../src/template/operator-rewrite.js';
import { type Fixture, loadAndRun, queryWarehouse, writeFixture } from './fixture-project.js';

// Python's datetime arithmetic as dbt packages use it at compile time
// (docs.python.org/3/library/datetime.html: date/datetime ± timedelta, date − date → timedelta,
// comparisons; str() of each), pytz's `localize`, and generic test arguments left out of the YAML
// (dbt passes Jinja's Undefined: false, iterates as empty).
const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

async function probe(files: Record<string, string>) {
  const fx = writeFixture(files);
  fixtures.push(fx);
  const run = await loadAndRun(fx.dir, { command: 'build', threads: 1 });
  const failure = run.results.results.find((r) => r.status !== 'success' && r.status !== 'pass');
  expect(failure?.message ?? 'ok').toBe('ok');
  return { run, rows: await queryWarehouse(fx.warehouse, 'select * from main.probe') };
}

describe('modules.datetime operators', () => {
  it('adds and subtracts timedeltas, subtracts dates, compares, and prints as Python', async () => {
    const { rows } = await probe({
      // A macro in a file that never mentions datetime joins a date into SQL text with `~`.
      'macros/as_timestamp.sql': `{% macro as_timestamp(d) %}{{ "cast('" ~ d ~ "' as timestamp)" }}{% endmacro %}`,
      'models/probe.sql': [
        '{% set end_date = modules.datetime.datetime(2024, 3, 10, 5, 0, 0) %}',
        '{% set start_date = end_date - modules.datetime.timedelta(days=10, hours=6) %}',
        '{% set later = modules.datetime.timedelta(minutes=30) + end_date %}',
        '{% set first = modules.datetime.date(2024, 2, 1) %}',
        '{% set gap = modules.datetime.date(2024, 3, 1) - first %}',
        "select '{{ start_date }}' as start_text, {{ as_timestamp(start_date) }} as start_ts,",
        "  '{{ later.isoformat() }}' as later_iso, {{ gap.days }} as gap_days, '{{ gap }}' as gap_text,",
        "  '{{ first - modules.datetime.timedelta(hours=1) }}' as day_before,",
        "  '{{ modules.datetime.timedelta(days=1, seconds=3661) }}' as delta_text,",
        "  '{{ modules.datetime.timedelta(hours=-1) }}' as negative_text,",
        '  {{ modules.datetime.timedelta(weeks=1).total_seconds() }} as week_seconds,',
        "  '{{ 'yes' if start_date < end_date else 'no' }}' as earlier,",
        "  '{{ 'yes' if first + modules.datetime.timedelta(days=29) == modules.datetime.date(2024, 3, 1) else 'no' }}' as equal,",
        "  '{{ first.hour is defined }}' as date_has_hour, '{{ start_date.hour is defined }}' as datetime_has_hour",
      ].join('\n'),
    });
    expect(rows).toEqual([
      {
        start_text: '2024-02-28 23:00:00',
        start_ts: '2024-02-28 23:00:00',
        later_iso: '2024-03-10T05:30:00',
        gap_days: 29,
        gap_text: '29 days, 0:00:00',
        day_before: '2024-01-31',
        delta_text: '1 day, 1:01:01',
        negative_text: '-1 day, 23:00:00',
        week_seconds: 604800,
        earlier: 'yes',
        equal: 'yes',
        date_has_hour: 'False',
        datetime_has_hour: 'True',
      },
    ]);
  });

  it('localizes with pytz, reads offsets from ISO text, and compares aware datetimes by instant', async () => {
    const { rows } = await probe({
      'models/probe.sql': [
        "{% set tokyo = modules.pytz.timezone('Asia/Tokyo') %}",
        '{% set midnight = tokyo.localize(modules.datetime.datetime(2026, 9, 1)) %}',
        "{% set utc_text = modules.datetime.datetime.fromisoformat('2026-08-31T15:00:00+00:00') %}",
        "{% set plus_nine = modules.datetime.datetime.fromisoformat('2026-09-01T00:00:00+09:00') %}",
        "select '{{ midnight }}' as midnight, {{ midnight.timestamp() | int }} as epoch,",
        "  '{{ plus_nine }}' as plus_nine, {{ plus_nine.timestamp() | int }} as plus_nine_epoch,",
        "  '{{ midnight == utc_text }}' as same_instant,",
        "  '{{ (midnight - utc_text).total_seconds() }}' as difference,",
        "  '{{ midnight.astimezone(modules.pytz.utc) }}' as in_utc",
      ].join('\n'),
    });
    const epoch = Date.UTC(2026, 7, 31, 15) / 1000;
    expect(rows).toEqual([
      {
        midnight: '2026-09-01 00:00:00+09:00',
        epoch,
        plus_nine: '2026-09-01 00:00:00+09:00',
        plus_nine_epoch: epoch,
        same_instant: 'True',
        difference: '0',
        in_utc: '2026-08-31 15:00:00+00:00',
      },
    ]);
  });
});

describe('run_started_at as a datetime', () => {
  it("has date parts, date(), astimezone() and arithmetic, as dbt's datetime does", async () => {
    const { rows, run } = await probe({
      'models/probe.sql': [
        "select '{{ run_started_at.date() }}' as started_day, {{ run_started_at.year }} as started_year,",
        "  '{{ run_started_at.astimezone(modules.pytz.timezone('Asia/Tokyo')).strftime('%H') }}' as tokyo_hour,",
        "  '{{ (run_started_at - modules.datetime.timedelta(days=1)).strftime('%Y-%m-%d') }}' as day_before,",
        "  '{{ run_started_at.strftime('%Y') }}' as year_text",
      ].join('\n'),
    });
    const started = run.project.runStartedAt;
    const iso = started.toISOString();
    expect(rows).toEqual([
      {
        started_day: iso.slice(0, 10),
        started_year: started.getUTCFullYear(),
        tokyo_hour: String((started.getUTCHours() + 9) % 24).padStart(2, '0'),
        day_before: new Date(started.getTime() - 86_400_000).toISOString().slice(0, 10),
        year_text: iso.slice(0, 4),
      },
    ]);
  });
});

describe('generic tests of a package', () => {
  it('take date arithmetic in YAML arguments and see arguments left out as none', async () => {
    const fx = writeFixture({
      'packages.yml': 'packages:\n  - local: vendor/checks\n',
      'vendor/checks/dbt_project.yml': "name: checks\nversion: '1.0.0'\n",
      // `group_by` has no default and the YAML may leave it out (dbt passes Undefined).
      'vendor/checks/macros/recent_rows.sql': [
        '{% test recent_rows(model, column_name, since, group_by) %}',
        'select {{ group_by | join(",") ~ "," if group_by }} count(*) as n from {{ model }}',
        "where {{ column_name }} >= cast('{{ since }}' as date)",
        '{% for g in group_by %}and {{ g }} is not null {% endfor %}',
        '{% if group_by %}group by {{ group_by | join(",") }}{% endif %}',
        'having count(*) <> 1',
        '{% endtest %}',
      ].join('\n'),
      // One row on or after three days ago: the test passes only when `since` is that date.
      'models/events.sql':
        "select current_date - 4 as event_day, 'a' as kind union all select current_date - 2, 'a'",
      'models/_models.yml': [
        'version: 2',
        'models:',
        '  - name: events',
        '    columns:',
        '      - name: event_day',
        '        data_tests:',
        '          - checks.recent_rows:',
        "              since: '{{ modules.datetime.date.today() - modules.datetime.timedelta(3) }}'",
        '          - checks.recent_rows:',
        "              since: '{{ modules.datetime.date.today() - modules.datetime.timedelta(days=3) }}'",
        '              group_by: [kind]',
        '',
      ].join('\n'),
    });
    fixtures.push(fx);
    await installPackages(fx.dir);
    const { results } = await loadAndRun(fx.dir, { command: 'build', threads: 1 });
    expect(results.results.map((r) => [r.uniqueId.split('.')[2]?.slice(0, 18), r.status]).sort()).toEqual([
      ['checks_recent_rows', 'pass'],
      ['checks_recent_rows', 'pass'],
      ['events', 'success'],
    ]);
  });
});

describe('rewritePythonOperators', () => {
  it('rewrites only operators with a datetime side, keeping lines', () => {
    const text = [
      '{% set end_date = modules.datetime.datetime.today() %}',
      '{% set start_date = (end_date -',
      '   modules.datetime.timedelta(days=10)) %}',
      '{% if n - 1 > 0 and start_date < end_date %}{{ a ~ b }}{% endif %}',
      "{{ x[1:] | join(',') }}",
    ].join('\n');
    const out = rewritePythonOperators(text);
    expect(out.split('\n')).toEqual([
      '{% set end_date = modules.datetime.datetime.today() %}',
      "{% set start_date = (__py_binop__('-', end_date, ",
      '   modules.datetime.timedelta(days=10))) %}',
      "{% if n - 1 > 0 and __py_binop__('<', start_date, end_date) %}{{ a ~ b }}{% endif %}",
      "{{ x[1:] | join(',') }}",
    ]);
    expect(rewritePythonOperators('{{ a - b }}')).toBe('{{ a - b }}');
  });
});
