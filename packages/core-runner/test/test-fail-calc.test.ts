import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, writeFixture } from './fixture-project.js';

// docs.getdbt.com/reference/resource-configs/fail_calc: the failure count is `fail_calc`
// (default count(*)) over the rows the test returns, then compared with warn_if / error_if.
const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

describe('fail_calc', () => {
  it('computes the failure count from the test rows, alone and in a batch', async () => {
    const fx = writeFixture({
      'models/amounts.sql': 'select 1 as id, 5 as amount union all select 2, -3 union all select 3, -4',
      'tests/generic/negative.sql':
        '{% test negative(model, column_name) %}select * from {{ model }} where {{ column_name }} < 0{% endtest %}',
      'models/_models.yml': [
        'version: 2',
        'models:',
        '  - name: amounts',
        '    columns:',
        '      - name: amount',
        '        data_tests:',
        // Two negative rows: count(*) = 2 fails.
        '          - negative:',
        '              name: counted',
        // Flipped, as dbt-expectations flips tests that should fail: 0 when rows come back.
        '          - negative:',
        '              name: flipped',
        "              config: {fail_calc: 'cast((count(*) = 0) as int)'}",
        // The sum of the failing amounts' magnitudes: 7, under error_if >10 → pass; top-level key (older style).
        '          - negative:',
        '              name: summed',
        "              fail_calc: 'sum(-amount)'",
        "              config: {error_if: '>10', warn_if: '>5'}",
        // A sum over no rows is null: counted as 0.
        '          - not_null:',
        '              name: null_sum',
        "              config: {fail_calc: 'sum(amount)'}",
        '',
      ].join('\n'),
    });
    fixtures.push(fx);
    for (const threads of [1, 2]) {
      const { results } = await loadAndRun(fx.dir, { command: 'build', threads });
      const byName = Object.fromEntries(
        results.results.map((r) => [r.uniqueId.split('.')[2], [r.status, r.failures ?? null]]),
      );
      expect(byName).toEqual({
        amounts: ['success', null],
        counted: ['fail', 2],
        flipped: ['pass', 0],
        summed: ['warn', 7],
        null_sum: ['pass', 0],
      });
    }
  });
});
