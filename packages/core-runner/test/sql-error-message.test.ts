import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, loadAndRun, writeFixture } from './fixture-project.js';

const fixtures: Fixture[] = [];
afterEach(() => {
  for (const fx of fixtures.splice(0)) fx.remove();
});

describe('a SQL error in a model', () => {
  it("names the SQL that ran with its line and keeps DuckDB's suggestion", async () => {
    const fx = writeFixture({
      'models/orders.sql': "{{ config(materialized='table') }}\nselect 1 as order_id, 9.5 as order_total",
      'models/totals.sql':
        "{{ config(materialized='table') }}\nselect\n  sum(order_totl) as revenue\nfrom {{ ref('orders') }}",
    });
    fixtures.push(fx);
    const { results } = await loadAndRun(fx.dir, { command: 'run' });
    const failed = results.results.find((r) => r.uniqueId === 'model.fixture.totals');
    expect(failed?.status).toBe('error');
    expect(failed?.error).toMatchObject({
      code: 'SSA-SQL-001',
      file: 'target/run/fixture/models/totals.sql',
      line: 4,
    });
    expect(failed?.message).toMatch(
      /Referenced column "order_totl" not found.*Candidate bindings: "order_total"/,
    );
  });
});
